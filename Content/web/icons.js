// Small inline SVG pictures, so the page does not depend on an emoji font being installed.
import { svg } from './ui.js';

export function kitten(className = 'kitten-svg') {
  return svg('svg', { viewBox: '0 0 120 110', class: className, 'aria-hidden': 'true' },
    svg('path', { d: 'M18 48 L24 6 L50 30 Z', fill: '#f2a65a' }), svg('path', { d: 'M102 48 L96 6 L70 30 Z', fill: '#f2a65a' }),
    svg('path', { d: 'M26 36 L28 16 L42 30 Z', fill: '#ffd6c9' }), svg('path', { d: 'M94 36 L92 16 L78 30 Z', fill: '#ffd6c9' }),
    svg('ellipse', { cx: 60, cy: 62, rx: 46, ry: 40, fill: '#f2a65a' }),
    svg('ellipse', { cx: 42, cy: 58, rx: 7, ry: 9, fill: '#1f1d2b' }), svg('ellipse', { cx: 78, cy: 58, rx: 7, ry: 9, fill: '#1f1d2b' }),
    svg('circle', { cx: 44, cy: 55, r: 2.5, fill: '#fff' }), svg('circle', { cx: 80, cy: 55, r: 2.5, fill: '#fff' }),
    svg('path', { d: 'M55 72 L65 72 L60 78 Z', fill: '#e8505b' }),
    svg('path', { d: 'M60 78 Q54 86 48 82 M60 78 Q66 86 72 82', stroke: '#1f1d2b', 'stroke-width': 2, fill: 'none', 'stroke-linecap': 'round' }),
    svg('path', { d: 'M30 72 L8 68 M30 78 L8 82 M90 72 L112 68 M90 78 L112 82', stroke: '#1f1d2b', 'stroke-width': 1.5, 'stroke-linecap': 'round' }));
}

export function wheel(className = 'icon') {
  const colors = ['#ff7a59', '#ffc145', '#5bc0eb', '#9bc53d'];
  return svg('svg', { viewBox: '-20 -20 40 40', class: className, 'aria-hidden': 'true' },
    colors.map((c, i) => svg('path', { d: 'M0 0 L0 -18 A18 18 0 0 1 18 0 Z', fill: c, transform: `rotate(${i * 90})` })),
    svg('circle', { r: 4, fill: '#fff', stroke: '#1f1d2b', 'stroke-width': 1.5 }));
}

export function ticket(className = 'icon') {
  return svg('svg', { viewBox: '0 0 40 28', class: className, 'aria-hidden': 'true' },
    svg('path', { d: 'M2 4 H38 V10 A4 4 0 0 0 38 18 V24 H2 V18 A4 4 0 0 0 2 10 Z', fill: '#ffc145', stroke: '#b8323c', 'stroke-width': 1.5 }),
    svg('path', { d: 'M14 6 V22', stroke: '#b8323c', 'stroke-width': 1.5, 'stroke-dasharray': '2 2' }));
}

export function clock(className = 'icon-inline') {
  return svg('svg', { viewBox: '0 0 20 20', class: className, 'aria-hidden': 'true' },
    svg('circle', { cx: 10, cy: 11, r: 7.5, fill: 'none', stroke: 'currentColor', 'stroke-width': 2 }),
    svg('path', { d: 'M10 7 V11 L13 13 M8 2 H12', stroke: 'currentColor', 'stroke-width': 2, fill: 'none', 'stroke-linecap': 'round' }));
}

export function bell(className = 'icon-bell') {
  return svg('svg', { viewBox: '0 0 24 24', class: className, 'aria-hidden': 'true' },
    svg('path', { d: 'M6 17 V11 A6 6 0 0 1 18 11 V17 L20 19 H4 Z', fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linejoin': 'round' }),
    svg('path', { d: 'M10 21 A2 2 0 0 0 14 21', fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round' }));
}

export const gameIcon = { wheel, scratch: ticket, pet: (c) => kitten(c) };
