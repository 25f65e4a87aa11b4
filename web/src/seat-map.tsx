/** @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LiveSeat, SeatMap } from '../../src/client/index.ts';

/** How a seat is drawn. `pending` = picked, waiting for the (debounced) lock or release request. */
export type SeatLook = 'available' | 'mine' | 'pending' | 'locked' | 'booked' | 'blocked';

export const SEAT_LOOKS: SeatLook[] = ['available', 'pending', 'mine', 'locked', 'booked', 'blocked'];

interface Props {
  map: SeatMap;
  seats: LiveSeat[];
  lookOf(seat: LiveSeat): SeatLook;
  labelOf(seat: LiveSeat, look: SeatLook): string;
  zoneName(zoneId: string): string;
  ringLabel: string;
  onActivate(seatId: string): void;
  onInspect(seatId: string | undefined): void;
}

type Direction = 'left' | 'right' | 'up' | 'down';
const KEY_DIRECTION: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

/**
 * The venue drawn in SVG from each seat's x/y. Seats are buttons: one of them is in the tab order at a time
 * (roving tabindex), arrow keys move between neighbours, Enter/Space picks.
 */
export function SeatMapView({ map, seats, lookOf, labelOf, zoneName, ringLabel, onActivate, onInspect }: Props) {
  const svgRef = useRef<SVGSVGElement>(null);
  const [focusId, setFocusId] = useState<string | undefined>(undefined);
  const geometry = useMemo(() => layout(map), [map]);
  const tabbable = focusId ?? seats[0]?.id;

  const moveFocus = (fromId: string, direction: Direction) => {
    const from = seats.find((s) => s.id === fromId);
    if (!from) return;
    const next = nearestSeat(seats, from, direction);
    if (!next) return;
    setFocusId(next.id);
    svgRef.current?.querySelector<SVGGElement>(`[data-seat-id="${CSS.escape(next.id)}"]`)?.focus();
  };

  const s = geometry.seatSize;
  const { ring } = map.venue;
  return (
    <svg
      ref={svgRef}
      class="seat-map"
      viewBox={geometry.viewBox}
      role="group"
      aria-label={map.venue.name}
      data-testid="seat-map"
      onMouseLeave={() => onInspect(undefined)}
    >
      {geometry.zones.map((z) => (
        <g key={z.id} class="zone">
          <rect class="zone-area" x={z.x} y={z.y} width={z.width} height={z.height} rx={s * 0.3} />
          <text class="zone-name" x={z.x + z.width / 2} y={z.y - s * 0.25} font-size={s * 0.55} text-anchor="middle">
            {zoneName(z.id)}
          </text>
        </g>
      ))}

      <g class="ring" aria-hidden="true">
        <rect class="ring-apron" x={ring.x - ring.size / 2} y={ring.y - ring.size / 2} width={ring.size} height={ring.size} rx={s * 0.2} />
        {[0.12, 0.17, 0.22].map((inset) => (
          <rect
            key={inset}
            class="ring-rope"
            x={ring.x - ring.size / 2 + ring.size * inset}
            y={ring.y - ring.size / 2 + ring.size * inset}
            width={ring.size * (1 - 2 * inset)}
            height={ring.size * (1 - 2 * inset)}
          />
        ))}
        {[
          [-1, -1, 'ring-post-red'],
          [1, 1, 'ring-post-blue'],
          [1, -1, 'ring-post'],
          [-1, 1, 'ring-post'],
        ].map(([dx, dy, cls]) => (
          <circle
            key={`${dx}${dy}`}
            class={cls as string}
            cx={ring.x + (dx as number) * ring.size * 0.38}
            cy={ring.y + (dy as number) * ring.size * 0.38}
            r={ring.size * 0.035}
          />
        ))}
        <text class="ring-label" x={ring.x} y={ring.y} font-size={ring.size * 0.12} text-anchor="middle" dominant-baseline="central">
          {ringLabel}
        </text>
      </g>

      {seats.map((seat) => {
        const look = lookOf(seat);
        const label = labelOf(seat, look);
        return (
          <g
            key={seat.id}
            class={`seat seat-${look}`}
            data-seat-id={seat.id}
            data-status={look}
            role="button"
            tabIndex={seat.id === tabbable ? 0 : -1}
            aria-label={label}
            aria-pressed={look === 'mine' || look === 'pending'}
            aria-disabled={look === 'booked' || look === 'blocked'}
            onClick={() => {
              setFocusId(seat.id);
              onInspect(seat.id);
              onActivate(seat.id);
            }}
            onMouseEnter={() => onInspect(seat.id)}
            onFocus={() => {
              setFocusId(seat.id);
              onInspect(seat.id);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onActivate(seat.id);
              } else if (KEY_DIRECTION[e.key]) {
                e.preventDefault();
                moveFocus(seat.id, KEY_DIRECTION[e.key]);
              }
            }}
          >
            <title>{label}</title>
            <rect x={seat.x - s / 2} y={seat.y - s / 2} width={s} height={s} rx={s * 0.22} />
            {look === 'blocked' && <path class="seat-cross" d={`M${seat.x - s / 4} ${seat.y - s / 4}l${s / 2} ${s / 2}m0 ${-s / 2}l${-s / 2} ${s / 2}`} />}
            {look !== 'blocked' && (
              <text x={seat.x} y={seat.y} font-size={s * (seat.id.length > 2 ? 0.4 : 0.48)} text-anchor="middle" dominant-baseline="central">
                {seat.id}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** A small seat of the given look, for the legend. */
export function SeatSwatch({ look }: { look: SeatLook }) {
  return (
    <svg class={`swatch seat seat-${look}`} viewBox="0 0 20 20" aria-hidden="true">
      <rect x="2" y="2" width="16" height="16" rx="4" />
      {look === 'blocked' && <path class="seat-cross" d="M6 6l8 8m0-8l-8 8" />}
    </svg>
  );
}

interface Geometry {
  viewBox: string;
  seatSize: number;
  zones: { id: string; x: number; y: number; width: number; height: number }[];
}

/** Seat size from the closest pair of seats; the view box hugs the seats, the ring and the zone labels. */
function layout(map: SeatMap): Geometry {
  let pitch = Infinity;
  const seats = map.seats;
  for (let i = 0; i < seats.length; i++) {
    for (let j = i + 1; j < seats.length; j++) {
      const d = Math.hypot(seats[i].x - seats[j].x, seats[i].y - seats[j].y);
      if (d > 0 && d < pitch) pitch = d;
    }
  }
  if (!Number.isFinite(pitch)) pitch = Math.min(map.venue.width, map.venue.height) / 20 || 30;
  const seatSize = pitch * 0.84;
  const pad = pitch * 0.5;

  const byZone = new Map<string, { minX: number; minY: number; maxX: number; maxY: number }>();
  for (const seat of seats) {
    const box = byZone.get(seat.zoneId) ?? { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    box.minX = Math.min(box.minX, seat.x);
    box.minY = Math.min(box.minY, seat.y);
    box.maxX = Math.max(box.maxX, seat.x);
    box.maxY = Math.max(box.maxY, seat.y);
    byZone.set(seat.zoneId, box);
  }
  const zones = [...byZone].map(([id, b]) => ({
    id,
    x: b.minX - pad,
    y: b.minY - pad,
    width: b.maxX - b.minX + 2 * pad,
    height: b.maxY - b.minY + 2 * pad,
  }));

  const { ring } = map.venue;
  let minX = ring.x - ring.size / 2;
  let minY = ring.y - ring.size / 2;
  let maxX = ring.x + ring.size / 2;
  let maxY = ring.y + ring.size / 2;
  for (const z of zones) {
    minX = Math.min(minX, z.x);
    minY = Math.min(minY, z.y - pitch * 0.9); // room for the zone name above
    maxX = Math.max(maxX, z.x + z.width);
    maxY = Math.max(maxY, z.y + z.height);
  }
  const m = pitch * 0.25;
  return { viewBox: `${minX - m} ${minY - m} ${maxX - minX + 2 * m} ${maxY - minY + 2 * m}`, seatSize, zones };
}

/** The closest seat in a direction, preferring seats in line with the current one. */
function nearestSeat(seats: LiveSeat[], from: LiveSeat, direction: Direction): LiveSeat | undefined {
  let best: LiveSeat | undefined;
  let bestScore = Infinity;
  for (const seat of seats) {
    const dx = seat.x - from.x;
    const dy = seat.y - from.y;
    const [along, across] = direction === 'left' ? [-dx, dy] : direction === 'right' ? [dx, dy] : direction === 'up' ? [-dy, dx] : [dy, dx];
    if (along <= 0) continue;
    const score = along + 3 * Math.abs(across);
    if (score < bestScore) {
      bestScore = score;
      best = seat;
    }
  }
  return best;
}

/** Minimum drawing widths: fit the screen, then larger with sideways scrolling (phones start there: seats stay tappable). */
const ZOOM_WIDTHS = [0, 760, 1100];

/** The scrollable frame around the map, with zoom buttons; it starts centred on the ring. */
export function MapViewport({
  children,
  footer,
  zoomInLabel,
  zoomOutLabel,
  scrollHint,
}: {
  children: ComponentChildren;
  /** Shown under the map, left of the zoom buttons (the legend). */
  footer?: ComponentChildren;
  zoomInLabel: string;
  zoomOutLabel: string;
  /** Shown while part of the map is off to the side. */
  scrollHint: string;
}) {
  const frame = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState(() => (window.innerWidth < 700 ? 1 : 0));
  const [overflows, setOverflows] = useState(false);
  useLayoutEffect(() => {
    const el = frame.current;
    if (!el) return;
    el.scrollLeft = (el.scrollWidth - el.clientWidth) / 2;
    const measure = () => setOverflows(el.scrollWidth > el.clientWidth + 1);
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [zoom]);
  return (
    <div class="map-frame">
      {overflows && (
        <p class="scroll-hint" aria-hidden="true">
          {scrollHint}
        </p>
      )}
      <div class="map-scroll" ref={frame} style={{ '--map-min-width': `${ZOOM_WIDTHS[zoom]}px` }}>
        {children}
      </div>
      <div class="map-footer">
        {footer}
        <div class="zoom-buttons">
          <button type="button" aria-label={zoomOutLabel} title={zoomOutLabel} data-testid="zoom-out" disabled={zoom === 0} onClick={() => setZoom(zoom - 1)}>
            −
          </button>
          <button
            type="button"
            aria-label={zoomInLabel}
            title={zoomInLabel}
            data-testid="zoom-in"
            disabled={zoom === ZOOM_WIDTHS.length - 1}
            onClick={() => setZoom(zoom + 1)}
          >
            +
          </button>
        </div>
      </div>
    </div>
  );
}
