// The network map's colours, light and dark. Text colours keep a contrast of at least 4.5:1 with
// the background (WCAG AA, checked by test/cards/networkMapPicture.test.ts); the kinds' colours
// are the Okabe–Ito set, told apart by colour-blind readers too, and never carry text.
import type { MapKind } from '../../domain/networkMap';

export type MapTheme = 'light' | 'dark';

export interface MapPalette {
  background: string;
  /** Names, title, legend. */
  text: string;
  /** Sector names and the rings' note. */
  muted: string;
  /** Halo behind text so a label stays readable over a line. */
  halo: string;
  ring: string;
  /** Lines of a said relation (strong, weak) and arrows. */
  line: string;
  /** Lines of an unsaid relation. */
  faint: string;
  strained: string;
  person: string;
  /** Text on the person's node and on the référent badge. */
  onPerson: string;
  kinds: Record<MapKind, string>;
}

const KINDS: Record<MapKind, string> = {
  family: '#D55E00',
  friend: '#E69F00',
  health: '#0072B2',
  social: '#009E73',
  mentalHealth: '#CC79A7',
  otherProfessional: '#56B4E9',
  institution: '#8E6BBF',
  unknown: '#8A8F98',
};

export const MAP_THEMES: Record<MapTheme, MapPalette> = {
  light: {
    background: '#FFFFFF',
    text: '#1F2328',
    muted: '#57606A',
    halo: '#FFFFFF',
    ring: '#B8BEC6',
    line: '#4A5260',
    faint: '#A3AAB4',
    strained: '#C62828',
    person: '#1F2328',
    onPerson: '#FFFFFF',
    kinds: KINDS,
  },
  dark: {
    background: '#1E1F22',
    text: '#F0F1F3',
    muted: '#B4BAC2',
    halo: '#1E1F22',
    ring: '#555B64',
    line: '#C9CFD8',
    faint: '#6E7580',
    strained: '#FF6B6B',
    person: '#F0F1F3',
    onPerson: '#1E1F22',
    kinds: { ...KINDS, health: '#3A9AD9', unknown: '#9AA0A8' },
  },
};

/** WCAG relative luminance of a #RRGGBB colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two #RRGGBB colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
