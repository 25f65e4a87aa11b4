/** @jsxImportSource preact */
import type { SeatPicker, StandingPick } from '../../src/client/index.ts';
import type { T } from './i18n.ts';

/**
 * Adult and child steppers of the show's standing (general admission) area, next to the map: each step holds or
 * gives back one place through the SeatPicker (batched like seat picks); places left update live (standing-changed).
 * Used by the show page (a buyer's holds) and the counter page (the seller's holds for a walk-in).
 */
export function StandingSteppers({ picker, pick, t, money, lang, disabled }: { picker: SeatPicker; pick: StandingPick; t: T; money: (n: number) => string; lang: 'en' | 'th'; disabled: boolean }) {
  const area = pick.area!;
  const soldOut = area.available === 0;
  return (
    <section class="standing-box" aria-labelledby="standing-title" data-testid="standing">
      <h2 id="standing-title">{area.name[lang]}</h2>
      <p class="muted" data-testid="standing-left" aria-live="polite">
        {soldOut ? t('standingSoldOut') : t('standingLeft', { n: area.available })}
      </p>
      {(['adult', 'child'] as const).map((type) => {
        const label = t(type === 'adult' ? 'standingAdultLabel' : 'standingChildLabel');
        const n = pick.wanted[type];
        return (
          <div class="stepper-row" key={type} role="group" aria-label={t('standingCount', { type: label })}>
            <span class="stepper-label">
              <strong>{label}</strong> <span class="muted">{t('standingEach', { price: money(area.prices[type]) })}</span>
            </span>
            <span class="stepper">
              <button
                type="button"
                class="small"
                data-testid={`standing-${type}-minus`}
                aria-label={t('standingFewer', { type: label })}
                disabled={n === 0}
                onClick={() => picker.setStanding(type, picker.standing().wanted[type] - 1)}
              >
                −
              </button>
              <output data-testid={`standing-${type}-count`} aria-live="polite">
                {n}
              </output>
              <button
                type="button"
                class="small"
                data-testid={`standing-${type}-plus`}
                aria-label={t('standingMore', { type: label })}
                disabled={disabled || soldOut}
                onClick={() => picker.setStanding(type, picker.standing().wanted[type] + 1)}
              >
                +
              </button>
            </span>
          </div>
        );
      })}
    </section>
  );
}
