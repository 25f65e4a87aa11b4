/** @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { compareSeatIds, type LiveSeat, type PickLook, type SeatMap } from '../../src/client/index.ts';

export type { PickLook as SeatLook } from '../../src/client/index.ts';

/** Zone colours (tints for the zone areas, solid for the price list); chosen apart from the seat-state colours. */
const ZONE_COLOURS = ['#7b3fa0', '#0e7c86', '#b5541c', '#3d5a99', '#8a6d00', '#a3336b', '#4d7a2a', '#5c5f66'];

export function zoneColour(index: number): string {
  return ZONE_COLOURS[index % ZONE_COLOURS.length];
}

/** How the seat was activated: touch taps preview first, mouse clicks and keys act at once. */
export type Via = 'touch' | 'mouse' | 'keyboard';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Geometry {
  /** The drawing's extent in venue units. */
  view: Box;
  seatSize: number;
  zones: (Box & { id: string })[];
}

/** Seat size from the closest seats in a line or column (seats sit on a grid); the view hugs the seats, the ring and the zone labels. */
export function layout(map: SeatMap): Geometry {
  const seats = map.seats;
  // the closest neighbours along a line or a column, in O(n log n): a 20,000-seat arena has 2·10⁸ pairs
  let pitch = Infinity;
  for (const [a, b] of [['y', 'x'], ['x', 'y']] as const) {
    const sorted = [...seats].sort((p, q) => p[a] - q[a] || p[b] - q[b]);
    for (let i = 1; i < sorted.length; i++) {
      const d = sorted[i][a] === sorted[i - 1][a] ? sorted[i][b] - sorted[i - 1][b] : Infinity;
      if (d > 0 && d < pitch) pitch = d;
    }
  }
  if (!Number.isFinite(pitch)) pitch = Math.min(map.venue.width, map.venue.height) / 20 || 30;
  const seatSize = pitch * 0.86;
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
  const zones = [...byZone].map(([id, b]) => ({ id, x: b.minX - pad, y: b.minY - pad, width: b.maxX - b.minX + 2 * pad, height: b.maxY - b.minY + 2 * pad }));

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
  return { view: { x: minX - m, y: minY - m, width: maxX - minX + 2 * m, height: maxY - minY + 2 * m }, seatSize, zones };
}

// ---- zoom and pan ------------------------------------------------------------------------------

export interface MapView {
  /** Zoom factor over "fitted to the width" (1). */
  scale: number;
  /** Screen pixels per venue unit at scale 1. */
  unit: number;
  /** On-screen size of a seat now, in CSS px. */
  seatPx: number;
  zoomBy(factor: number, atX?: number, atY?: number): void;
  /**
   * Zooms so the box (venue units) fills the viewport. With `minSeatPx`, zooms further where needed for seats
   * that large (tap targets), centred on `at` (venue units) then.
   */
  zoomTo(box: Box, opts?: { minSeatPx?: number; at?: { x: number; y: number } }): void;
  fit(): void;
  /** Pans the least needed for the point (venue units) to be in view. */
  reveal(x: number, y: number): void;
}

const MAX_SCALE = 6;

/**
 * The seat map's frame: opens fitted to the width, or (`opening`) zoomed in where the fitted seats would be too
 * small to tap; pinch (two fingers), drag, Ctrl+wheel (trackpad pinch) and the buttons zoom and pan with a CSS
 * transform ("whole venue" fits it again). A drag never counts as a click on a seat.
 */
export function MapViewport({
  geometry,
  children,
  labels,
  onView,
  disabled,
  toolbar,
  opening,
}: {
  geometry: Geometry;
  children: ComponentChildren;
  labels: { zoomIn: string; zoomOut: string; fit: string; region: string };
  /** Hands the page the zoom controls (for zoom-to-zone and keeping the focused seat in view). */
  onView(view: MapView): void;
  disabled?: boolean;
  /** Shown left of the zoom buttons above the map (the zoom-to-zone control). */
  toolbar?: ComponentChildren;
  /**
   * On a narrow screen (≤ 900 px: phones, where the page scrolls) where fitted to the width a seat would be smaller
   * than `minSeatPx` CSS px (tap targets, WCAG 2.5.8), the map opens zoomed in to seats that size on the box
   * `focus()` (venue units; asked once: centred, or its top with the zone name where it is taller than the frame),
   * in a frame 60% of the screen tall.
   */
  opening?: { minSeatPx: number; focus(): Box };
}) {
  const frame = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, maxHeight: 0, narrow: false });
  const [t, setT] = useState({ s: 1, x: 0, y: 0 });
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef<{ moved: number; dist?: number } | undefined>(undefined);
  const suppressClick = useRef(false);

  useLayoutEffect(() => {
    const el = frame.current;
    if (!el) return;
    // Wide screens: the whole venue fits the window below the map's top (legend, zoom and basket stay in
    // view at 768 px). Narrow screens: fitted to the width, the page scrolls.
    const measure = () => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      const wide = window.innerWidth > 900;
      const maxHeight = wide ? Math.max(320, window.innerHeight - top - 12) : Infinity;
      setSize({ width: el.clientWidth, maxHeight, narrow: !wide });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, []);

  const { view } = geometry;
  const width = size.width;
  const fittedSeatPx = geometry.seatSize * (width / view.width);
  const zoomedOpen = opening !== undefined && size.narrow && width > 0 && fittedSeatPx < opening.minSeatPx;
  const height = Math.min(Math.max(view.height * (width / view.width), zoomedOpen ? Math.round(window.innerHeight * 0.6) : 0), size.maxHeight) || 0;
  // a large venue on a phone needs more than 6× for seats worth tapping
  const maxScale = zoomedOpen ? Math.max(MAX_SCALE, (2 * opening.minSeatPx) / fittedSeatPx) : MAX_SCALE;
  // Venue units → stage px at scale 1; the drawing is centred in the stage (SVG "meet").
  const unit = width > 0 ? Math.min(width / view.width, height / view.height) : 1;
  const offX = (width - view.width * unit) / 2;
  const offY = (height - view.height * unit) / 2;

  const clamp = (s: number, x: number, y: number) => {
    const sc = Math.min(maxScale, Math.max(1, s));
    return { s: sc, x: Math.min(0, Math.max(width - width * sc, x)), y: Math.min(0, Math.max(height - height * sc, y)) };
  };
  const zoomBy = (factor: number, atX = width / 2, atY = height / 2) =>
    setT((cur) => {
      const s = Math.min(maxScale, Math.max(1, cur.s * factor));
      const k = s / cur.s;
      return clamp(s, atX - (atX - cur.x) * k, atY - (atY - cur.y) * k);
    });
  const toStage = (px: number, py: number) => ({ x: (px - view.x) * unit + offX, y: (py - view.y) * unit + offY });
  const zoomTo = (box: Box, opts: { minSeatPx?: number; at?: { x: number; y: number } } = {}) => {
    const fit = Math.min(width / (box.width * unit), height / (box.height * unit), maxScale);
    const needed = opts.minSeatPx ? opts.minSeatPx / (geometry.seatSize * unit) : 0;
    const s = Math.min(Math.max(fit, needed), maxScale);
    const centre = s > fit && opts.at ? opts.at : { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const c = toStage(centre.x, centre.y);
    setT(clamp(s, width / 2 - c.x * s, height / 2 - c.y * s));
  };
  const reveal = (px: number, py: number) =>
    setT((cur) => {
      const margin = geometry.seatSize * unit * cur.s * 1.5;
      const p = toStage(px, py);
      const sx = p.x * cur.s + cur.x;
      const sy = p.y * cur.s + cur.y;
      let { x, y } = cur;
      if (sx < margin) x += margin - sx;
      if (sx > width - margin) x -= sx - (width - margin);
      if (sy < margin) y += margin - sy;
      if (sy > height - margin) y -= sy - (height - margin);
      return x === cur.x && y === cur.y ? cur : clamp(cur.s, x, y);
    });

  // The opening zoom, once the frame is measured (before the first paint of the map).
  const opened = useRef(false);
  useLayoutEffect(() => {
    if (opened.current || width === 0 || height === 0) return;
    opened.current = true;
    if (!zoomedOpen) return;
    const s = opening.minSeatPx / (geometry.seatSize * unit);
    const box = opening.focus();
    const fitsY = box.height * unit * s <= height;
    const c = toStage(box.x + box.width / 2, fitsY ? box.y + box.height / 2 : box.y - geometry.seatSize + height / 2 / (unit * s));
    setT(clamp(s, width / 2 - c.x * s, height / 2 - c.y * s));
  }, [width, height]);

  const api: MapView = {
    scale: t.s,
    unit,
    seatPx: geometry.seatSize * unit * t.s,
    zoomBy,
    zoomTo,
    fit: () => setT({ s: 1, x: 0, y: 0 }),
    reveal,
  };
  useEffect(() => onView(api));

  const local = (e: PointerEvent | WheelEvent) => {
    const r = frame.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const onPointerDown = (e: PointerEvent) => {
    pointers.current.set(e.pointerId, local(e));
    if (pointers.current.size === 1) gesture.current = { moved: 0 };
    if (pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()];
      gesture.current = { moved: gesture.current?.moved ?? 0, dist: Math.hypot(a.x - b.x, a.y - b.y) };
    }
    suppressClick.current = false;
  };
  const onPointerMove = (e: PointerEvent) => {
    const before = pointers.current.get(e.pointerId);
    if (!before || !gesture.current) return;
    const now = local(e);
    pointers.current.set(e.pointerId, now);
    if (pointers.current.size >= 2 && gesture.current.dist) {
      const [a, b] = [...pointers.current.values()];
      const dist = Math.hypot(a.x - b.x, a.y - b.y);
      zoomBy(dist / gesture.current.dist, (a.x + b.x) / 2, (a.y + b.y) / 2);
      gesture.current = { moved: gesture.current.moved + 100, dist };
      return;
    }
    const dx = now.x - before.x;
    const dy = now.y - before.y;
    gesture.current.moved += Math.abs(dx) + Math.abs(dy);
    if (gesture.current.moved > 8 && t.s > 1) setT((cur) => clamp(cur.s, cur.x + dx, cur.y + dy));
  };
  const onPointerUp = (e: PointerEvent) => {
    pointers.current.delete(e.pointerId);
    if (gesture.current && gesture.current.moved > 8) suppressClick.current = true;
    if (pointers.current.size === 0) gesture.current = undefined;
  };
  const onWheel = (e: WheelEvent) => {
    if (!e.ctrlKey) return; // plain wheel scrolls the page; Ctrl+wheel (and a trackpad pinch) zooms
    e.preventDefault();
    const at = local(e);
    zoomBy(Math.exp(-e.deltaY / 200), at.x, at.y);
  };

  return (
    <div class={`map-frame${disabled ? ' map-disabled' : ''}`}>
      <div class="map-toolbar">
        {toolbar}
        <div class="zoom-buttons" role="group" aria-label={labels.region}>
          <button type="button" aria-label={labels.zoomOut} title={labels.zoomOut} data-testid="zoom-out" disabled={t.s <= 1} onClick={() => zoomBy(1 / 1.6)}>
            −
          </button>
          <button type="button" aria-label={labels.zoomIn} title={labels.zoomIn} data-testid="zoom-in" disabled={t.s >= maxScale} onClick={() => zoomBy(1.6)}>
            +
          </button>
          <button type="button" class="zoom-fit" data-testid="zoom-fit" disabled={t.s <= 1} onClick={() => setT({ s: 1, x: 0, y: 0 })}>
            {labels.fit}
          </button>
        </div>
      </div>
      <div
        ref={frame}
        class="map-viewport"
        style={{ height: `${Math.round(height)}px`, touchAction: t.s > 1 ? 'none' : 'pan-y' }}
        data-testid="map-viewport"
        data-scale={t.s.toFixed(2)}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onWheel={onWheel}
        onClickCapture={(e) => {
          if (suppressClick.current) {
            e.stopPropagation();
            e.preventDefault();
            suppressClick.current = false;
          }
        }}
      >
        <div class="map-stage" style={{ width: `${width}px`, height: `${height}px`, transform: `translate(${t.x}px, ${t.y}px) scale(${t.s})` }}>
          {width > 0 && children}
        </div>
      </div>
    </div>
  );
}

// ---- the map -----------------------------------------------------------------------------------

type Direction = 'left' | 'right' | 'up' | 'down';
const KEY_DIRECTION: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

interface Props {
  map: SeatMap;
  geometry: Geometry;
  seats: LiveSeat[];
  lookOf(seat: LiveSeat): PickLook;
  labelOf(seat: LiveSeat, look: PickLook): string;
  zoneName(zoneId: string): string;
  zoneIndex(zoneId: string): number;
  ringLabel: string;
  /** The map's accessible name and its usage hint (arrow keys, Enter, Escape). */
  label: string;
  hint: string;
  /** Seats cannot be picked (offline): they stay focusable and readable. */
  disabled: boolean;
  onActivate(seatId: string, via: Via): void;
  onInspect(seatId: string | undefined): void;
  /** Escape: the page moves focus out of the map. */
  onLeave(): void;
  /** A seat got focus: the viewport keeps it in view. */
  onFocusSeat(seat: LiveSeat): void;
}

/**
 * The venue drawn in SVG from each seat's x/y. The map is ONE Tab stop: the seats are a roving-focus group
 * (only one has tabindex 0). Arrow keys move along the row (and on into the next zone at its end) and between
 * rows and zones by position; Page Up/Down jump zone to zone; Home/End go to the row's ends; Enter or Space
 * picks; Escape leaves the map.
 */
export function SeatMapView(props: Props) {
  const { map, geometry, seats, lookOf, labelOf, zoneName, zoneIndex, ringLabel, onActivate, onInspect } = props;
  const svgRef = useRef<SVGSVGElement>(null);
  const [focusId, setFocusId] = useState<string | undefined>(undefined);
  const byId = useMemo(() => new Map(seats.map((s) => [s.id, s])), [seats]);
  const rows = useMemo(() => rowsOf(seats), [map]);
  const zoneOrder = useMemo(() => [...new Set(map.seats.map((s) => s.zoneId))], [map]);
  const tabbable = focusId && byId.has(focusId) ? focusId : firstSeat(seats, zoneOrder)?.id;
  const pointerType = useRef<string>('mouse');

  const focusSeat = (id: string) => {
    setFocusId(id);
    svgRef.current?.querySelector<SVGGElement>(`[data-seat-id="${CSS.escape(id)}"]`)?.focus();
  };

  const onKey = (seat: LiveSeat, e: KeyboardEvent) => {
    let next: LiveSeat | undefined;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (!e.repeat) onActivate(seat.id, 'keyboard');
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      props.onLeave();
      return;
    }
    const row = (rows.get(`${seat.zoneId}|${seat.row}`) ?? [seat.id]).map((id) => byId.get(id)!);
    const horizontal = isHorizontal(row);
    const direction = KEY_DIRECTION[e.key];
    if (direction) {
      // Along the row when the key points along it (on into the next zone at its end); otherwise by position.
      const alongRow = horizontal ? direction === 'left' || direction === 'right' : direction === 'up' || direction === 'down';
      const ordered = [...row].sort((a, b) => (horizontal ? a.x - b.x : a.y - b.y));
      const step = direction === 'right' || direction === 'down' ? 1 : -1;
      next = alongRow ? ordered[ordered.findIndex((s) => s.id === seat.id) + step] : undefined;
      next ??= nearestSeat(seats, seat, direction);
    } else if (e.key === 'Home' || e.key === 'End') {
      const sorted = [...row].sort((a, b) => (horizontal ? a.x - b.x : a.y - b.y));
      next = e.key === 'Home' ? sorted[0] : sorted[sorted.length - 1];
    } else if (e.key === 'PageDown' || e.key === 'PageUp') {
      const z = zoneOrder.indexOf(seat.zoneId);
      const target = zoneOrder[(z + (e.key === 'PageDown' ? 1 : zoneOrder.length - 1)) % zoneOrder.length];
      next = firstSeat(seats.filter((s) => s.zoneId === target), zoneOrder);
    } else {
      return;
    }
    e.preventDefault();
    if (next) focusSeat(next.id);
  };

  const s = geometry.seatSize;
  const { ring } = map.venue;
  const { view } = geometry;
  return (
    <svg
      ref={svgRef}
      class="seat-map"
      viewBox={`${view.x} ${view.y} ${view.width} ${view.height}`}
      role="group"
      aria-label={props.label}
      aria-describedby="seat-map-hint"
      data-testid="seat-map"
      onMouseLeave={() => onInspect(undefined)}
      onPointerDown={(e) => {
        pointerType.current = e.pointerType;
      }}
    >
      <desc id="seat-map-hint">{props.hint}</desc>
      {geometry.zones.map((z) => (
        <g key={z.id} class="zone" aria-hidden="true" style={{ '--zone': zoneColour(zoneIndex(z.id)) }}>
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
          <circle key={`${dx}${dy}`} class={cls as string} cx={ring.x + (dx as number) * ring.size * 0.38} cy={ring.y + (dy as number) * ring.size * 0.38} r={ring.size * 0.035} />
        ))}
        <text class="ring-label" x={ring.x} y={ring.y} font-size={ring.size * 0.12} text-anchor="middle" dominant-baseline="central">
          {ringLabel}
        </text>
      </g>

      {seats.map((seat) => {
        const look = lookOf(seat);
        const label = labelOf(seat, look);
        const inactive = look === 'booked' || look === 'blocked' || props.disabled;
        return (
          <g
            key={seat.id}
            class={`seat seat-${look}`}
            data-seat-id={seat.id}
            data-status={look}
            role="button"
            tabindex={seat.id === tabbable ? 0 : -1}
            aria-label={label}
            aria-pressed={look === 'mine' || look === 'pending' || look === 'selected'}
            aria-disabled={inactive || undefined}
            onClick={() => {
              setFocusId(seat.id);
              onActivate(seat.id, pointerType.current === 'touch' || pointerType.current === 'pen' ? 'touch' : 'mouse');
              pointerType.current = 'mouse';
            }}
            onMouseEnter={() => onInspect(seat.id)}
            onFocus={() => {
              setFocusId(seat.id);
              onInspect(seat.id);
              props.onFocusSeat(seat);
            }}
            onKeyDown={(e) => onKey(seat, e)}
          >
            <rect x={seat.x - s / 2} y={seat.y - s / 2} width={s} height={s} rx={s * 0.22} />
            {look === 'blocked' && <path class="seat-cross" d={`M${seat.x - s / 4} ${seat.y - s / 4}l${s / 2} ${s / 2}m0 ${-s / 2}l${-s / 2} ${s / 2}`} />}
            {look !== 'blocked' && (
              <text x={seat.x} y={seat.y} font-size={s * (seat.id.length > 2 ? 0.42 : 0.5)} text-anchor="middle" dominant-baseline="central" aria-hidden="true">
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
export function SeatSwatch({ look }: { look: PickLook }) {
  return (
    <svg class={`swatch seat seat-${look}`} viewBox="0 0 20 20" aria-hidden="true">
      <rect x="2" y="2" width="16" height="16" rx="4" />
      {look === 'blocked' && <path class="seat-cross" d="M6 6l8 8m0-8l-8 8" />}
    </svg>
  );
}

/** Seat ids of each row of each zone ("zone|row"), in seat-number order. */
function rowsOf(seats: LiveSeat[]): Map<string, string[]> {
  const rows = new Map<string, LiveSeat[]>();
  for (const seat of seats) {
    const key = `${seat.zoneId}|${seat.row}`;
    rows.set(key, [...(rows.get(key) ?? []), seat]);
  }
  return new Map([...rows].map(([key, list]) => [key, list.sort((a, b) => a.number - b.number || compareSeatIds(a.id, b.id)).map((s) => s.id)]));
}

/** Whether a row runs across the drawing (true) or up and down it. */
function isHorizontal(row: LiveSeat[]): boolean {
  if (row.length < 2) return true;
  const xs = row.map((s) => s.x);
  const ys = row.map((s) => s.y);
  return Math.max(...xs) - Math.min(...xs) >= Math.max(...ys) - Math.min(...ys);
}

/** The first seat to focus: the first zone's top-left seat. */
function firstSeat(seats: LiveSeat[], zoneOrder: string[]): LiveSeat | undefined {
  let best: LiveSeat | undefined;
  for (const seat of seats) {
    if (!best) best = seat;
    const z = zoneOrder.indexOf(seat.zoneId) - zoneOrder.indexOf(best.zoneId);
    if (z < 0 || (z === 0 && (seat.y < best.y || (seat.y === best.y && seat.x < best.x)))) best = seat;
  }
  return best;
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
