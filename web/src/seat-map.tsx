/** @jsxImportSource preact */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { compareSeatIds, type Lang, type LiveSeat, type PickLook, type SeatMap, type SeatPicker, type SeatView, type ShowLive } from '../../src/client/index.ts';
import { formatMoney, type T } from './i18n.ts';

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
  /** Distance between neighbouring seats (venue units). */
  pitch: number;
  seatCount: number;
  /** Each zone's box, with `front`: the point of the box nearest the ring's centre (where its front rows are). */
  zones: Zone[];
  /** The ring (or stage): centre and side, venue units. */
  ring: { x: number; y: number; size: number };
}

/** A zone's box on the drawing (venue units) and the point of it nearest the ring (its front rows). */
export type Zone = Box & { id: string; front: { x: number; y: number } };

/**
 * From this many seats on, the map is drawn on one `<canvas>` (hit-tested, only changed seats redrawn) instead of
 * one SVG element per seat: 20,000 SVG groups take seconds to build and every re-render walks them all.
 */
export const CANVAS_FROM_SEATS = 2_000;

/** Whether the map of this geometry is drawn on a canvas (large venues) or in SVG (small ones). */
export function drawsOnCanvas(geometry: Geometry): boolean {
  return geometry.seatCount >= CANVAS_FROM_SEATS;
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
  const { ring } = map.venue;
  const zones = [...byZone].map(([id, b]) => {
    const box = { x: b.minX - pad, y: b.minY - pad, width: b.maxX - b.minX + 2 * pad, height: b.maxY - b.minY + 2 * pad };
    const front = { x: Math.min(Math.max(ring.x, box.x), box.x + box.width), y: Math.min(Math.max(ring.y, box.y), box.y + box.height) };
    return { id, ...box, front };
  });

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
  return {
    view: { x: minX - m, y: minY - m, width: maxX - minX + 2 * m, height: maxY - minY + 2 * m },
    seatSize,
    pitch,
    seatCount: seats.length,
    zones,
    ring: { x: ring.x, y: ring.y, size: ring.size },
  };
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
   * Zooms so the whole box (venue units) fills the viewport, as large as fits. With `minSeatPx`, zooms further
   * where needed for seats that large (tap targets); the box then does not fit and the view is centred on `at`
   * (venue units), or else on the part of the box nearest `front` (a zone's front rows, next to the ring).
   */
  zoomTo(box: Box, opts?: ZoomOpts): void;
  fit(): void;
  /**
   * Brings the point (venue units: a focused seat) into view: pans the least needed, or, where seats are smaller
   * than MIN_FOCUS_PX on screen, zooms to `zone` with seats OPENING_SEAT_PX centred on the point.
   */
  reveal(x: number, y: number, zone?: Box): void;
}

export interface ZoomOpts {
  minSeatPx?: number;
  at?: { x: number; y: number };
  front?: { x: number; y: number };
}

const MAX_SCALE = 6;
/** Zoomed to a zone's front rows, the front edge sits this many seat pitches in from the frame's edge (the ring shows). */
const FRONT_MARGIN_PITCHES = 2.5;
/** Zooming in goes at least this far: seats of a large venue grow to this many CSS px (comfortable to tap). */
const MAX_ZOOM_SEAT_PX = 48;

/**
 * The viewport's frame as a canvas map needs it: the stage size (CSS px), the zoom/pan (`s`, `x`, `y`: stage px)
 * and the venue-units → stage-px mapping at scale 1 (`unit`, `offX`, `offY`). A venue point (vx, vy) is at
 * ((vx - view.x) · unit + offX) · s + x across the viewport (and likewise down).
 */
export interface Frame {
  width: number;
  height: number;
  s: number;
  x: number;
  y: number;
  unit: number;
  offX: number;
  offY: number;
}
const FrameContext = createContext<Frame | undefined>(undefined);

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
   * `focus()` (venue units; asked once: the whole box where it fits, else its part nearest `front`, the ring), in a
   * frame as tall as the screen leaves above the sticky bar (`--sticky-bar-space`); "whole venue" shrinks the
   * frame to the drawing (no empty band), a zoom grows it again.
   */
  opening?: { minSeatPx: number; focus(): Box & { front?: { x: number; y: number } } };
}) {
  const frame = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, maxHeight: 0, narrow: false, room: 0 });
  const [t, setView] = useState({ s: 1, x: 0, y: 0 });
  /** the user (or the page for them: zoom to a zone, a focused seat) has moved the map: the opening zoom is not redone */
  const moved = useRef(false);
  const setT: typeof setView = (next) => {
    moved.current = true;
    setView(next);
  };
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef<{ moved: number; dist?: number } | undefined>(undefined);
  const suppressClick = useRef(false);

  useLayoutEffect(() => {
    const el = frame.current;
    if (!el) return;
    // Wide screens: the whole venue fits the window below the map's top (legend, zoom and basket stay in
    // view at 768 px). Narrow screens: fitted to the width, the page scrolls; zoomed in, the frame takes the
    // screen below its top down to the sticky bar.
    const measure = () => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      const wide = window.innerWidth > 900;
      const maxHeight = wide ? Math.max(320, window.innerHeight - top - 12) : Infinity;
      const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
      const bar = (parseFloat(getComputedStyle(document.body).getPropertyValue('--sticky-bar-space')) || 0) * rem;
      const room = Math.max(280, Math.min(window.innerHeight * 0.75, window.innerHeight - top - bar - 8));
      setSize({ width: el.clientWidth, maxHeight, narrow: !wide, room });
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
  const fittedHeight = view.height * (width / view.width);
  const zoomedOpen = opening !== undefined && size.narrow && width > 0 && fittedSeatPx < opening.minSeatPx;
  // The frame's height at a scale: a phone's zoomed frame is taller than the fitted drawing, at scale 1 it hugs it.
  const heightAt = (s: number) =>
    zoomedOpen ? Math.round(s > 1.001 ? Math.max(fittedHeight, size.room) : fittedHeight) : Math.min(fittedHeight, size.maxHeight) || 0;
  const height = heightAt(t.s);
  // Venue units → stage px at scale 1: a phone's drawing fills the width from the top (the frame's height follows
  // the zoom, the mapping does not); a laptop's is centred in the frame (SVG "meet").
  const unit = width > 0 ? (zoomedOpen ? width / view.width : Math.min(width / view.width, height / view.height)) : 1;
  const offX = (width - view.width * unit) / 2;
  const offY = zoomedOpen ? 0 : (height - view.height * unit) / 2;
  // A phone opening zoomed in, or a large venue (2 px seats when fitted), needs more than 6× for seats worth tapping.
  const maxScale = Math.max(MAX_SCALE, zoomedOpen ? (2 * opening.minSeatPx) / fittedSeatPx : 0, MAX_ZOOM_SEAT_PX / (geometry.seatSize * unit));
  const canvas = drawsOnCanvas(geometry);

  const clamp = (s: number, x: number, y: number) => {
    const sc = Math.min(maxScale, Math.max(1, s));
    const h = heightAt(sc);
    const content = zoomedOpen ? fittedHeight : h; // the drawing's height at scale 1
    return { s: sc, x: Math.min(0, Math.max(width - width * sc, x)), y: Math.min(0, Math.max(Math.min(0, h - content * sc), y)) };
  };
  const zoomBy = (factor: number, atX = width / 2, atY = height / 2) =>
    setT((cur) => {
      const s = Math.min(maxScale, Math.max(1, cur.s * factor));
      const k = s / cur.s;
      return clamp(s, atX - (atX - cur.x) * k, atY - (atY - cur.y) * k);
    });
  const toStage = (px: number, py: number) => ({ x: (px - view.x) * unit + offX, y: (py - view.y) * unit + offY });
  /** The transform showing `box` at scale `s`: centred on it where it fits, else on `at`, else on its part nearest `front`. */
  const place = (box: Box, s: number, opts: ZoomOpts) => {
    const w = width;
    const h = heightAt(s);
    const fits = box.width * unit * s <= w + 0.5 && box.height * unit * s <= h + 0.5;
    let centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    if (!fits && opts.at) centre = opts.at;
    else if (!fits && opts.front) {
      // keep the front edge in view with some of what is in front of it (the aisle, the ring's edge)
      const halfW = w / 2 / (unit * s) - geometry.pitch * FRONT_MARGIN_PITCHES;
      const halfH = h / 2 / (unit * s) - geometry.pitch * FRONT_MARGIN_PITCHES;
      const pull = (c: number, f: number, half: number) => (Math.abs(f - c) <= half ? c : f + Math.sign(c - f) * half);
      centre = { x: pull(centre.x, opts.front.x, halfW), y: pull(centre.y, opts.front.y, halfH) };
    }
    const c = toStage(centre.x, centre.y);
    return clamp(s, w / 2 - c.x * s, h / 2 - c.y * s);
  };
  const zoomTo = (box: Box, opts: ZoomOpts = {}) => {
    const h = zoomedOpen ? Math.max(fittedHeight, size.room) : height;
    const fit = Math.min(width / (box.width * unit), h / (box.height * unit), maxScale);
    const needed = opts.minSeatPx ? opts.minSeatPx / (geometry.seatSize * unit) : 0;
    setT(place(box, Math.max(1, Math.min(Math.max(fit, needed), maxScale)), opts));
  };
  const reveal = (px: number, py: number, zone?: Box) => {
    if (zone && geometry.seatSize * unit * t.s < MIN_FOCUS_PX) {
      // a focused seat of a few px (a whole arena fitted to the frame): zoom to its zone with seats worth seeing, centred on it
      return zoomTo(zone, { minSeatPx: OPENING_SEAT_PX, at: { x: px, y: py } });
    }
    setT((cur) => {
      const h = heightAt(cur.s);
      const margin = geometry.seatSize * unit * cur.s * 1.5;
      const p = toStage(px, py);
      const sx = p.x * cur.s + cur.x;
      const sy = p.y * cur.s + cur.y;
      let { x, y } = cur;
      if (sx < margin) x += margin - sx;
      if (sx > width - margin) x -= sx - (width - margin);
      if (sy < margin) y += margin - sy;
      if (sy > h - margin) y -= sy - (h - margin);
      return x === cur.x && y === cur.y ? cur : clamp(cur.s, x, y);
    });
  };

  // The opening zoom, once the frame is measured (before the first paint of the map), and again while nobody moved
  // the map when the frame's room changes (the sticky bar below it is measured after the map first drew).
  useLayoutEffect(() => {
    if (moved.current || width === 0 || height === 0 || !zoomedOpen) return;
    const box = opening.focus();
    setView(place(box, opening.minSeatPx / (geometry.seatSize * unit), { front: box.front }));
  }, [width, height > 0, size.room]);
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
        {canvas ? (
          // the canvas map draws the zoom itself (crisp at any scale); the stage stays put
          <div class="map-stage" style={{ width: `${width}px`, height: `${height}px` }}>
            <FrameContext.Provider value={{ width, height, s: t.s, x: t.x, y: t.y, unit, offX, offY }}>{width > 0 && children}</FrameContext.Provider>
          </div>
        ) : (
          // the SVG is as tall as its drawing fitted to the width (a phone's taller zoomed frame shows more of it)
          <div class="map-stage" style={{ width: `${width}px`, height: `${zoomedOpen ? fittedHeight : height}px`, transform: `translate(${t.x}px, ${t.y}px) scale(${t.s})` }}>
            {width > 0 && children}
          </div>
        )}
      </div>
    </div>
  );
}

/** Smallest tap target (WCAG 2.5.8): a phone opens the map zoomed to seats this big and a little more; below it (the whole venue) a tap zooms to the zone instead. */
export const MIN_TAP_PX = 24;
/** The seat size a phone's map opens at, and a zoom to a zone or a seat's zone reaches (CSS px): MIN_TAP_PX with room for rounding. */
export const OPENING_SEAT_PX = MIN_TAP_PX + 4;
/** Below this (CSS px: a whole arena fitted to a laptop) a mouse click zooms to the zone instead of picking. */
export const MIN_CLICK_PX = 8;
/** Below this (CSS px) a seat that gets keyboard focus is zoomed to OPENING_SEAT_PX; a laptop's stadium (~15 px) stays as it is. */
export const MIN_FOCUS_PX = 12;

/**
 * Zooms to the seat's zone (seats then OPENING_SEAT_PX, centred on the seat) when the seats are too small on
 * screen for the pointer to pick one reliably; returns whether it did (the click then only previews the seat).
 */
export function zoomFirst(view: MapView | undefined, geometry: Geometry, seat: { zoneId: string; x: number; y: number }, via: 'touch' | 'mouse'): boolean {
  const min = via === 'touch' ? MIN_TAP_PX : MIN_CLICK_PX;
  if (!view || view.seatPx >= min) return false;
  const zone = geometry.zones.find((z) => z.id === seat.zoneId);
  if (zone) view.zoomTo(zone, { minSeatPx: OPENING_SEAT_PX, at: seat });
  return true;
}

/**
 * Brings a seat that got keyboard focus into view (seats of a few px zoomed to a usable size first). Keyboard focus
 * only: a click or tap focuses the seat too, and moving the map then would move the seat from under the pointer.
 */
export function revealFocused(view: MapView | undefined, geometry: Geometry, seat: { zoneId: string; x: number; y: number }): void {
  if (document.activeElement?.matches(':focus-visible')) view?.reveal(seat.x, seat.y, geometry.zones.find((z) => z.id === seat.zoneId));
}

/**
 * "Zoom to" a zone: the whole zone, as large as it fits, with seats at least MIN_TAP_PX on a phone (≤ 900 px; OPENING_SEAT_PX, with room for rounding) or
 * big enough to click on a laptop; a zone that does not fit at that size shows its front rows (next to the ring).
 */
export function zoomToZone(view: MapView | undefined, zone: Zone): void {
  const phone = matchMedia('(max-width: 900px)').matches;
  view?.zoomTo(zone, { minSeatPx: phone ? OPENING_SEAT_PX : MIN_CLICK_PX + 2, front: zone.front });
}

// ---- the map -----------------------------------------------------------------------------------

type Direction = 'left' | 'right' | 'up' | 'down';
const KEY_DIRECTION: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

/** What a key does on the focused seat: pick it, leave the map, or move (to nothing at the map's edge). */
export type NavAction = { kind: 'pick' } | { kind: 'leave' } | { kind: 'move'; to: SeatView | undefined };

/**
 * The map's keyboard model over a venue's seats (positions only, built once per snapshot; O(n) per arrow key off
 * a row, so 20,000 seats stay instant). Arrow keys move along the row (and on into the next zone at its end) and
 * between rows and zones by position; Page Up/Down jump zone to zone; Home/End go to the row's ends; Enter or
 * Space picks; Escape leaves the map.
 */
export class SeatNav {
  readonly zoneOrder: string[];
  /** Where focus lands first: the first zone's seat nearest the ring (its front row), or its top-left one without a ring. */
  readonly first: SeatView | undefined;
  private readonly seats: readonly SeatView[];
  private readonly ring: { x: number; y: number } | undefined;
  private readonly byId: Map<string, SeatView>;
  /** Each row of each zone ("zone|row"), in seat-number order. */
  private readonly rows = new Map<string, SeatView[]>();

  constructor(seats: readonly SeatView[], ring?: { x: number; y: number }) {
    this.seats = seats;
    this.ring = ring;
    this.byId = new Map(seats.map((s) => [s.id, s]));
    this.zoneOrder = [...new Set(seats.map((s) => s.zoneId))];
    for (const seat of seats) {
      const key = `${seat.zoneId}|${seat.row}`;
      const row = this.rows.get(key);
      if (row) row.push(seat);
      else this.rows.set(key, [seat]);
    }
    for (const row of this.rows.values()) row.sort((a, b) => a.number - b.number || compareSeatIds(a.id, b.id));
    this.first = firstSeat(seats, this.zoneOrder, ring);
  }

  get(seatId: string | undefined): SeatView | undefined {
    return seatId === undefined ? undefined : this.byId.get(seatId);
  }

  /** The action of `key` on `from`; undefined for a key the map does not use (it goes on to the page). */
  action(from: SeatView, key: string): NavAction | undefined {
    if (key === 'Enter' || key === ' ') return { kind: 'pick' };
    if (key === 'Escape') return { kind: 'leave' };
    const row = this.rows.get(`${from.zoneId}|${from.row}`) ?? [from];
    const horizontal = isHorizontal(row);
    const direction = KEY_DIRECTION[key];
    if (direction) {
      // Along the row when the key points along it (on into the next zone at its end); otherwise by position.
      const alongRow = horizontal ? direction === 'left' || direction === 'right' : direction === 'up' || direction === 'down';
      const ordered = [...row].sort((a, b) => (horizontal ? a.x - b.x : a.y - b.y));
      const step = direction === 'right' || direction === 'down' ? 1 : -1;
      const next = alongRow ? ordered[ordered.findIndex((s) => s.id === from.id) + step] : undefined;
      return { kind: 'move', to: next ?? nearestSeat(this.seats, from, direction) };
    }
    if (key === 'Home' || key === 'End') {
      const sorted = [...row].sort((a, b) => (horizontal ? a.x - b.x : a.y - b.y));
      return { kind: 'move', to: key === 'Home' ? sorted[0] : sorted[sorted.length - 1] };
    }
    if (key === 'PageDown' || key === 'PageUp') {
      const z = this.zoneOrder.indexOf(from.zoneId);
      const target = this.zoneOrder[(z + (key === 'PageDown' ? 1 : this.zoneOrder.length - 1)) % this.zoneOrder.length];
      return { kind: 'move', to: firstSeat(this.seats.filter((s) => s.zoneId === target), this.zoneOrder, this.ring) };
    }
    return undefined;
  }
}

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
 * The venue drawn from each seat's x/y: in SVG (one element per seat) for a small venue, on a canvas from
 * CANVAS_FROM_SEATS seats on (see CanvasSeatMap); both look and behave alike. The map is ONE Tab stop with
 * roving focus (SeatNav's keys).
 */
export function SeatMapView(props: Props) {
  return drawsOnCanvas(props.geometry) ? <CanvasSeatMap {...props} /> : <SvgSeatMap {...props} />;
}

/** The SVG map: the seats are a roving-focus group (only one has tabindex 0). */
function SvgSeatMap(props: Props) {
  const { map, geometry, seats, lookOf, labelOf, zoneName, zoneIndex, ringLabel, onActivate, onInspect } = props;
  const svgRef = useRef<SVGSVGElement>(null);
  const [focusId, setFocusId] = useState<string | undefined>(undefined);
  const nav = useMemo(() => new SeatNav(map.seats, map.venue.ring), [map]);
  const tabbable = nav.get(focusId)?.id ?? nav.first?.id;
  const pointerType = useRef<string>('mouse');

  const focusSeat = (id: string) => {
    setFocusId(id);
    svgRef.current?.querySelector<SVGGElement>(`[data-seat-id="${CSS.escape(id)}"]`)?.focus();
  };

  const onKey = (seat: LiveSeat, e: KeyboardEvent) => {
    const action = nav.action(seat, e.key);
    if (!action) return;
    e.preventDefault();
    if (action.kind === 'pick') {
      if (!e.repeat) onActivate(seat.id, 'keyboard');
    } else if (action.kind === 'leave') {
      props.onLeave();
    } else if (action.to) {
      focusSeat(action.to.id);
    }
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
        {RING_ROPES.map((inset) => (
          <rect
            key={inset}
            class="ring-rope"
            x={ring.x - ring.size / 2 + ring.size * inset}
            y={ring.y - ring.size / 2 + ring.size * inset}
            width={ring.size * (1 - 2 * inset)}
            height={ring.size * (1 - 2 * inset)}
          />
        ))}
        {RING_POSTS.map(([dx, dy, cls]) => (
          <circle key={`${dx}${dy}`} class={cls} cx={ring.x + dx * ring.size * 0.38} cy={ring.y + dy * ring.size * 0.38} r={ring.size * 0.035} />
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

/** The ring's ropes (inset from its edge, share of its size) and corner posts (direction, style class). */
const RING_ROPES = [0.12, 0.17, 0.22];
const RING_POSTS: [number, number, string][] = [
  [-1, -1, 'ring-post-red'],
  [1, 1, 'ring-post-blue'],
  [1, -1, 'ring-post'],
  [-1, 1, 'ring-post'],
];

// ---- the canvas map (large venues) -----------------------------------------------------------------

/**
 * What the canvas map has drawn, for tests and measurements (the canvas has no element per seat): read it from
 * the map element's `seatMapProbe` property. Times are `performance.now()` ms.
 */
export interface SeatMapProbe {
  /** The look the seat has on screen now (undefined: not drawn yet). */
  look(seatId: string): PickLook | undefined;
  /** When the seat was last drawn with a new look (after the canvas calls returned). */
  drawnAt(seatId: string): number | undefined;
  /** When the whole map was first drawn. */
  firstDrawAt: number | undefined;
  /** The seat's centre in CSS px from the map element's top-left, at the current zoom. */
  where(seatId: string): { x: number; y: number } | undefined;
  /** The seat under a point (CSS px from the map element's top-left), as a click there would pick it. */
  seatAt(x: number, y: number): string | undefined;
}

interface SeatStyle {
  fill: string;
  stroke: string;
  strokeWidth: number;
  dash: number[];
  text: string;
}
/** The map's colours, read from the app's CSS (the seat-state and ring classes the SVG map uses), never copied. */
interface Palette {
  looks: Record<PickLook, SeatStyle>;
  cross: { stroke: string; width: number };
  zone: { fillOpacity: number; strokeOpacity: number; strokeWidth: number };
  apron: string;
  rope: { stroke: string; opacity: number; width: number };
  posts: Record<string, string>;
  ringLabel: string;
  rowLabel: string;
}
const LOOKS: PickLook[] = ['available', 'selected', 'pending', 'mine', 'locked', 'booked', 'blocked'];

/** Seats smaller than this (CSS px) are drawn as plain squares (no outline, no number). */
const OUTLINE_FROM_PX = 5;
const NUMBER_FROM_PX = 16;
/** From this seat size on (CSS px) the canvas letters each row at both ends. */
const ROW_LABEL_FROM_PX = 14;
/** Zone names never smaller than this on screen (CSS px); at the fitted zoom they sit over their zone. */
const MIN_LABEL_PX = 12;

/**
 * The large-venue map on one `<canvas>`: drawn in venue units under the viewport's zoom (crisp at any scale),
 * seats outside the view skipped. After the first draw, a render redraws only the seats whose look changed
 * (each clipped to its own cell), so a socket event costs a few seats, not 20,000. Pointer input is hit-tested
 * on a grid of cells. Keyboard: the map element is the one Tab stop (role application); the focused seat is its
 * `aria-activedescendant`, an element over the seat that carries the seat's label (zone, row, number, price,
 * state) and the focus ring; the page's seat-info live region repeats it.
 */
function CanvasSeatMap(props: Props) {
  const { map, geometry, seats, lookOf, labelOf, zoneName, zoneIndex, onActivate, onInspect } = props;
  const frame = useContext(FrameContext)!;
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const styleRef = useRef<SVGSVGElement>(null);
  const nav = useMemo(() => new SeatNav(map.seats, map.venue.ring), [map]);
  const hits = useMemo(() => new HitGrid(map.seats, geometry.pitch), [map]);
  const rowEnds = useMemo(() => rowLabels(map.seats, geometry.pitch), [map]);
  const [focusId, setFocusId] = useState<string | undefined>(undefined);
  const pointerType = useRef<string>('mouse');
  const hovered = useRef<string | undefined>(undefined);
  const pressing = useRef(false);
  const drawn = useRef({ key: '', looks: new Map<string, PickLook>(), at: new Map<string, number>(), firstAt: undefined as number | undefined, palette: undefined as Palette | undefined });

  const k = frame.unit * frame.s; // CSS px per venue unit
  const ox = (-geometry.view.x * frame.unit + frame.offX) * frame.s + frame.x;
  const oy = (-geometry.view.y * frame.unit + frame.offY) * frame.s + frame.y;
  const toScreen = (p: { x: number; y: number }) => ({ x: p.x * k + ox, y: p.y * k + oy });

  const current = nav.get(focusId) ?? nav.first;
  const currentLive = current ? seats.find((s) => s.id === current.id) : undefined;
  const currentLook = currentLive ? lookOf(currentLive) : undefined;

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const d = drawn.current;
    d.palette ??= readPalette(styleRef.current!);
    const palette = d.palette;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(frame.width * dpr);
    const h = Math.round(frame.height * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const s = geometry.seatSize;
    const p = geometry.pitch;
    const seatPx = s * k;
    const names = geometry.zones.map((z) => ({ zone: z, name: zoneName(z.id), colour: zoneColour(zoneIndex(z.id)) }));
    const zoneOf = new Map(names.map((n) => [n.zone.id, n]));
    const key = [w, h, k, ox, oy, props.disabled, names.map((n) => n.name).join('|'), props.ringLabel].join(',');
    const full = key !== d.key || d.looks.size === 0;
    ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * ox, dpr * oy);

    const zoneArea = (z: Box) => {
      ctx.beginPath();
      ctx.roundRect(z.x, z.y, z.width, z.height, s * 0.3);
    };
    const drawZone = ({ zone, colour }: { zone: Box; colour: string }) => {
      zoneArea(zone);
      ctx.fillStyle = colour;
      ctx.globalAlpha = palette.zone.fillOpacity;
      ctx.fill();
      ctx.globalAlpha = palette.zone.strokeOpacity;
      ctx.strokeStyle = colour;
      ctx.lineWidth = palette.zone.strokeWidth;
      ctx.stroke();
      ctx.globalAlpha = 1;
    };
    // the part of the venue in view (venue units)
    const vx0 = -ox / k;
    const vy0 = -oy / k;
    const vx1 = (frame.width - ox) / k;
    const vy1 = (frame.height - oy) / k;
    const drawZoneName = ({ zone, name, colour }: { zone: Box; name: string; colour: string }) => {
      const above = s * 0.55 * k >= MIN_LABEL_PX;
      const size = above ? s * 0.55 : MIN_LABEL_PX / k;
      ctx.font = `700 ${size}px system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = above ? 'alphabetic' : 'middle';
      // zoomed in, the name stays in view over the part of the zone that is: centred on it, at the frame's top
      // when the zone's top edge is scrolled away
      const left = Math.max(zone.x, vx0);
      const right = Math.min(zone.x + zone.width, vx1);
      const x = above && right > left ? (left + right) / 2 : zone.x + zone.width / 2;
      let y = above ? zone.y - s * 0.25 : zone.y + zone.height / 2;
      const pinned = above && y - size < vy0 && zone.y + zone.height > vy0 + 3 * size && zone.y < vy1;
      if (pinned) y = vy0 + size * 1.15;
      ctx.save();
      ctx.translate(x, y);
      // over a narrow side stand the name runs along it
      if (!above && zone.height > zone.width * 1.5) ctx.rotate(-Math.PI / 2);
      if (pinned) {
        // pinned over the seats: on a light pill of its own
        const w = ctx.measureText(name).width + size * 0.8;
        ctx.beginPath();
        ctx.roundRect(-w / 2, -size * 0.75, w, size * 1.5, size * 0.4);
        ctx.fillStyle = 'rgba(255, 255, 255, 0.92)';
        ctx.fill();
      }
      if (!above || pinned) {
        // over the seats: a white halo keeps it readable
        ctx.lineWidth = 4 / k;
        ctx.strokeStyle = '#ffffff';
        ctx.lineJoin = 'round';
        ctx.strokeText(name, 0, 0);
      }
      ctx.fillStyle = colour;
      ctx.fillText(name, 0, 0);
      ctx.restore();
    };
    const drawSeat = (seat: SeatView, look: PickLook) => {
      const st = palette.looks[look];
      ctx.globalAlpha = props.disabled ? 0.55 : 1;
      ctx.fillStyle = st.fill;
      if (seatPx < OUTLINE_FROM_PX) {
        // a few px: the outline's colour around a core of the fill (the pale free-seat fill alone would vanish)
        ctx.fillStyle = st.stroke;
        ctx.fillRect(seat.x - s / 2, seat.y - s / 2, s, s);
        ctx.fillStyle = st.fill;
        ctx.fillRect(seat.x - s / 4, seat.y - s / 4, s / 2, s / 2);
      } else {
        ctx.beginPath();
        ctx.roundRect(seat.x - s / 2, seat.y - s / 2, s, s, s * 0.22);
        ctx.fill();
        ctx.strokeStyle = st.stroke;
        ctx.lineWidth = st.strokeWidth;
        ctx.setLineDash(st.dash);
        ctx.stroke();
        ctx.setLineDash([]);
      }
      ctx.globalAlpha = 1;
      if (look === 'blocked' && seatPx >= OUTLINE_FROM_PX) {
        ctx.beginPath();
        ctx.moveTo(seat.x - s / 4, seat.y - s / 4);
        ctx.lineTo(seat.x + s / 4, seat.y + s / 4);
        ctx.moveTo(seat.x + s / 4, seat.y - s / 4);
        ctx.lineTo(seat.x - s / 4, seat.y + s / 4);
        ctx.strokeStyle = palette.cross.stroke;
        ctx.lineWidth = palette.cross.width;
        ctx.stroke();
      } else if (look !== 'blocked' && seatPx >= NUMBER_FROM_PX) {
        ctx.font = `600 ${s * 0.42}px system-ui, sans-serif`;
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        ctx.fillStyle = st.text;
        ctx.fillText(String(seat.number), seat.x, seat.y);
      }
    };

    const looks = seats.map((seat) => lookOf(seat));
    const now = performance.now();
    if (full) {
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, w, h);
      ctx.restore();
      for (const n of names) drawZone(n);
      drawRing(ctx, map.venue.ring, s, palette, props.ringLabel);
      // only what is in view (zoomed in, most of the arena is not)
      const x0 = -ox / k - p;
      const y0 = -oy / k - p;
      const x1 = (frame.width - ox) / k + p;
      const y1 = (frame.height - oy) / k + p;
      d.looks.clear();
      for (let i = 0; i < seats.length; i++) {
        const seat = seats[i];
        d.looks.set(seat.id, looks[i]);
        if (seat.x < x0 || seat.x > x1 || seat.y < y0 || seat.y > y1) continue;
        drawSeat(seat, looks[i]);
      }
      if (seatPx >= ROW_LABEL_FROM_PX) {
        ctx.font = `600 ${s * 0.45}px system-ui, sans-serif`;
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        ctx.fillStyle = palette.rowLabel;
        for (const r of rowEnds) if (r.x >= x0 && r.x <= x1 && r.y >= y0 && r.y <= y1) ctx.fillText(r.label, r.x, r.y);
      }
      for (const n of names) drawZoneName(n);
      d.key = key;
      d.firstAt ??= performance.now();
    } else {
      for (let i = 0; i < seats.length; i++) {
        const seat = seats[i];
        if (d.looks.get(seat.id) === looks[i]) continue;
        d.looks.set(seat.id, looks[i]);
        // repaint the seat's own cell: page, zone tint and edge, the seat, any zone name over it
        ctx.save();
        ctx.beginPath();
        ctx.rect(seat.x - p / 2, seat.y - p / 2, p, p);
        ctx.clip();
        ctx.fillStyle = '#ffffff';
        ctx.fillRect(seat.x - p / 2, seat.y - p / 2, p, p);
        const zone = zoneOf.get(seat.zoneId);
        if (zone) drawZone(zone);
        drawSeat(seat, looks[i]);
        for (const n of names) drawZoneName(n);
        ctx.restore();
        d.at.set(seat.id, now);
      }
    }
    if (full) for (const seat of seats) d.at.set(seat.id, now);

    // with the same render as the drawing, so it never describes an older zoom
    const box = boxRef.current as (HTMLDivElement & { seatMapProbe?: SeatMapProbe }) | null;
    if (!box) return;
    box.seatMapProbe = {
      look: (id) => d.looks.get(id),
      drawnAt: (id) => d.at.get(id),
      get firstDrawAt() {
        return d.firstAt;
      },
      where: (id) => {
        const seat = nav.get(id);
        return seat && toScreen(seat);
      },
      seatAt: (x, y) => hits.at((x - ox) / k, (y - oy) / k)?.id,
    };
  });

  const seatAt = (e: MouseEvent | PointerEvent) => {
    const r = boxRef.current!.getBoundingClientRect();
    return hits.at((e.clientX - r.left - ox) / k, (e.clientY - r.top - oy) / k);
  };
  const focusSeat = (seat: SeatView) => {
    setFocusId(seat.id);
    onInspect(seat.id);
    const live = seats.find((s) => s.id === seat.id);
    if (live) props.onFocusSeat(live);
  };
  const onKey = (e: KeyboardEvent) => {
    if (!current) return;
    const action = nav.action(current, e.key);
    if (!action) return;
    e.preventDefault();
    if (action.kind === 'pick') {
      if (!e.repeat) onActivate(current.id, 'keyboard');
    } else if (action.kind === 'leave') {
      props.onLeave();
    } else if (action.to) {
      focusSeat(action.to);
    }
  };

  // the focused seat's element: over the seat, at least 14 px so the focus ring shows at any zoom
  const ring = current ? toScreen(current) : undefined;
  const ringPx = Math.max(geometry.seatSize * k + 6, 14);
  const pressed = currentLook === 'mine' || currentLook === 'pending' || currentLook === 'selected';
  return (
    <div
      ref={boxRef}
      class="seat-canvas"
      role="application"
      tabindex={0}
      aria-label={props.label}
      aria-describedby="seat-map-hint"
      aria-activedescendant={current ? 'seat-map-focus' : undefined}
      data-testid="seat-map"
      data-seats={seats.length}
      onKeyDown={onKey}
      onFocus={(e) => {
        // focus from Tab (or a script) shows the focused seat; from a press, the click picks its own seat and
        // panning to the old one now would move the map under the pointer
        if (e.target === e.currentTarget && current && !pressing.current) focusSeat(current);
      }}
      onPointerDown={(e) => {
        pointerType.current = e.pointerType;
        pressing.current = true;
      }}
      onPointerUp={() => {
        pressing.current = false;
      }}
      onPointerCancel={() => {
        pressing.current = false;
      }}
      onPointerMove={(e) => {
        if (e.pointerType !== 'mouse') return;
        const id = seatAt(e)?.id;
        if (id !== hovered.current) {
          hovered.current = id;
          if (id) onInspect(id);
        }
      }}
      onMouseLeave={() => {
        hovered.current = undefined;
        onInspect(undefined);
      }}
      onClick={(e) => {
        const seat = seatAt(e);
        if (!seat) return;
        setFocusId(seat.id);
        onActivate(seat.id, pointerType.current === 'touch' || pointerType.current === 'pen' ? 'touch' : 'mouse');
        pointerType.current = 'mouse';
      }}
    >
      <canvas ref={canvasRef} aria-hidden="true" />
      <p id="seat-map-hint" class="sr-only">
        {props.hint}
      </p>
      {current && currentLive && currentLook && ring && (
        <div
          id="seat-map-focus"
          class="seat-focus"
          role="button"
          aria-label={labelOf(currentLive, currentLook)}
          aria-pressed={pressed}
          aria-disabled={currentLook === 'booked' || currentLook === 'blocked' || props.disabled || undefined}
          data-seat-id={current.id}
          data-status={currentLook}
          style={{ left: `${ring.x - ringPx / 2}px`, top: `${ring.y - ringPx / 2}px`, width: `${ringPx}px`, height: `${ringPx}px` }}
        />
      )}
      <svg ref={styleRef} class="seat-styles" aria-hidden="true">
        {LOOKS.map((look) => (
          <g key={look} class={`seat seat-${look}`} data-look={look}>
            <rect />
            <text />
            <path class="seat-cross" />
          </g>
        ))}
        <rect class="zone-area" />
        <rect class="ring-apron" />
        <rect class="ring-rope" />
        {['ring-post-red', 'ring-post-blue', 'ring-post'].map((c) => (
          <circle key={c} class={c} />
        ))}
        <text class="ring-label" />
        <text class="row-label" />
      </svg>
    </div>
  );
}

/** The colours and line widths the app's CSS gives the SVG map's classes (the hidden sample under `svg`). */
function readPalette(svg: SVGSVGElement): Palette {
  const css = (sel: string) => getComputedStyle(svg.querySelector(sel)!);
  const num = (v: string, fallback: number) => (Number.isFinite(parseFloat(v)) ? parseFloat(v) : fallback);
  const looks = {} as Record<PickLook, SeatStyle>;
  for (const look of LOOKS) {
    const rect = css(`[data-look="${look}"] rect`);
    const dash = rect.strokeDasharray === 'none' ? [] : rect.strokeDasharray.split(/[ ,]+/).map((v) => num(v, 0));
    looks[look] = { fill: rect.fill, stroke: rect.stroke, strokeWidth: num(rect.strokeWidth, 1.5), dash, text: css(`[data-look="${look}"] text`).fill };
  }
  const cross = css('[data-look="blocked"] .seat-cross');
  const zone = css('.zone-area');
  const rope = css('.ring-rope');
  return {
    looks,
    cross: { stroke: cross.stroke, width: num(cross.strokeWidth, 2) },
    zone: { fillOpacity: num(zone.fillOpacity, 0.1), strokeOpacity: num(zone.strokeOpacity, 0.7), strokeWidth: num(zone.strokeWidth, 2) },
    apron: css('.ring-apron').fill,
    rope: { stroke: rope.stroke, opacity: num(rope.strokeOpacity, 0.75), width: num(rope.strokeWidth, 2) },
    posts: Object.fromEntries(['ring-post-red', 'ring-post-blue', 'ring-post'].map((c) => [c, css(`.${c}`).fill])),
    ringLabel: css('.ring-label').fill,
    rowLabel: css('.row-label').fill,
  };
}

/** The ring (or stage) as the SVG map draws it: apron, ropes, corner posts, label; in venue units. */
function drawRing(ctx: CanvasRenderingContext2D, ring: SeatMap['venue']['ring'], s: number, palette: Palette, label: string): void {
  const half = ring.size / 2;
  ctx.beginPath();
  ctx.roundRect(ring.x - half, ring.y - half, ring.size, ring.size, s * 0.2);
  ctx.fillStyle = palette.apron;
  ctx.fill();
  ctx.strokeStyle = palette.rope.stroke;
  ctx.globalAlpha = palette.rope.opacity;
  ctx.lineWidth = palette.rope.width;
  for (const inset of RING_ROPES) ctx.strokeRect(ring.x - half + ring.size * inset, ring.y - half + ring.size * inset, ring.size * (1 - 2 * inset), ring.size * (1 - 2 * inset));
  ctx.globalAlpha = 1;
  for (const [dx, dy, cls] of RING_POSTS) {
    ctx.beginPath();
    ctx.arc(ring.x + dx * ring.size * 0.38, ring.y + dy * ring.size * 0.38, ring.size * 0.035, 0, 2 * Math.PI);
    ctx.fillStyle = palette.posts[cls];
    ctx.fill();
  }
  ctx.font = `800 ${ring.size * 0.12}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = palette.ringLabel;
  ctx.fillText(label, ring.x, ring.y);
}

/** Seats bucketed by cell of the seat pitch: the seat under a point (venue units) in O(1). */
class HitGrid {
  private readonly cells = new Map<string, SeatView[]>();
  constructor(
    seats: readonly SeatView[],
    private readonly pitch: number,
  ) {
    for (const seat of seats) {
      const key = this.key(Math.floor(seat.x / pitch), Math.floor(seat.y / pitch));
      const cell = this.cells.get(key);
      if (cell) cell.push(seat);
      else this.cells.set(key, [seat]);
    }
  }

  /** The seat whose cell (the pitch around its centre) holds the point, the nearest one if several. */
  at(x: number, y: number): SeatView | undefined {
    const cx = Math.floor(x / this.pitch);
    const cy = Math.floor(y / this.pitch);
    let best: SeatView | undefined;
    let bestD = Infinity;
    for (let i = -1; i <= 1; i++) {
      for (let j = -1; j <= 1; j++) {
        for (const seat of this.cells.get(this.key(cx + i, cy + j)) ?? []) {
          const dx = Math.abs(seat.x - x);
          const dy = Math.abs(seat.y - y);
          if (dx > this.pitch / 2 || dy > this.pitch / 2) continue;
          if (dx + dy < bestD) {
            bestD = dx + dy;
            best = seat;
          }
        }
      }
    }
    return best;
  }

  private key(cx: number, cy: number): string {
    return `${cx},${cy}`;
  }
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

/** Where the canvas letters the rows: one label a pitch beyond each end of each zone's row (venue units). */
function rowLabels(seats: readonly SeatView[], pitch: number): { label: string; x: number; y: number }[] {
  const rows = new Map<string, SeatView[]>();
  for (const seat of seats) {
    const key = `${seat.zoneId}|${seat.row}`;
    const row = rows.get(key);
    if (row) row.push(seat);
    else rows.set(key, [seat]);
  }
  const out: { label: string; x: number; y: number }[] = [];
  for (const row of rows.values()) {
    const horizontal = isHorizontal(row);
    const sorted = [...row].sort((a, b) => (horizontal ? a.x - b.x : a.y - b.y));
    const [a, b] = [sorted[0], sorted[sorted.length - 1]];
    const gap = pitch * 0.95;
    out.push(horizontal ? { label: a.row, x: a.x - gap, y: a.y } : { label: a.row, x: a.x, y: a.y - gap });
    out.push(horizontal ? { label: b.row, x: b.x + gap, y: b.y } : { label: b.row, x: b.x, y: b.y + gap });
  }
  return out;
}

/** Whether a row runs across the drawing (true) or up and down it. */
function isHorizontal(row: SeatView[]): boolean {
  if (row.length < 2) return true;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const s of row) {
    minX = Math.min(minX, s.x);
    maxX = Math.max(maxX, s.x);
    minY = Math.min(minY, s.y);
    maxY = Math.max(maxY, s.y);
  }
  return maxX - minX >= maxY - minY;
}

/** The first seat to focus: the first zone's seat nearest the ring (front row, middle), else its top-left seat. */
function firstSeat(seats: readonly SeatView[], zoneOrder: string[], ring?: { x: number; y: number }): SeatView | undefined {
  let best: SeatView | undefined;
  const d = (s: SeatView) => (ring ? Math.hypot(s.x - ring.x, s.y - ring.y) : 0);
  for (const seat of seats) {
    if (!best) best = seat;
    const z = zoneOrder.indexOf(seat.zoneId) - zoneOrder.indexOf(best.zoneId);
    const closer = d(seat) - d(best);
    if (z < 0 || (z === 0 && (closer < -1e-9 || (Math.abs(closer) <= 1e-9 && (seat.y < best.y || (seat.y === best.y && seat.x < best.x)))))) best = seat;
  }
  return best;
}

/** The closest seat in a direction, preferring seats in line with the current one. */
function nearestSeat(seats: readonly SeatView[], from: SeatView, direction: Direction): SeatView | undefined {
  let best: SeatView | undefined;
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

/**
 * What a page says about the seats of a live map, one home for the show page and the counter: prices in the
 * map's currency, zone names in the reader's language, each seat's look (the shared picker's) and its label for
 * screen readers and tooltips (`seatLabel`). `seatName` names a seat in that label (a buyer reads its number, a
 * cashier its id); `status` words a look. Call once the map has loaded (`live.map`).
 */
export function mapWords(
  live: ShowLive,
  picker: SeatPicker,
  o: { lang: Lang; t: T; seatName: (seat: LiveSeat) => string | number; status: (look: PickLook) => string },
) {
  const map = live.map!;
  const currency = map.zones[0]?.currency ?? 'THB';
  const money = (n: number) => formatMoney(o.lang, n, currency);
  const zoneIndex = (zoneId: string) => Math.max(0, map.zones.findIndex((z) => z.id === zoneId));
  const zoneName = (zoneId: string) => {
    const zone = live.zone(zoneId);
    return zone ? zone.names?.[o.lang] ?? zone.name : zoneId;
  };
  const price = (seat: LiveSeat) => live.zone(seat.zoneId)?.price ?? 0;
  const lookOf = (seat: LiveSeat): PickLook => picker.look(seat.id) ?? 'available';
  const labelOf = (seat: LiveSeat, look: PickLook) =>
    o.t('seatLabel', { seat: o.seatName(seat), row: seat.row, zone: zoneName(seat.zoneId), price: money(price(seat)), status: o.status(look) });
  return { currency, money, zoneIndex, zoneName, price, lookOf, labelOf };
}
