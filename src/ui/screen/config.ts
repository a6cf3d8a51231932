// The big screen is configured by its URL alone, so a kiosk needs no clicks:
//   /screen?area=370705003&layers=grids,findings,cases&tour=on&tourS=30&refreshS=60
//          &lang=zh-CN&theme=dark&workspace=<id>&feed=<Open311 URL>&wall=3x3&quietS=60
export interface ScreenConfig {
  /** district ('' ), street (9 digits) or community (12 digits) code */
  area: string;
  layers: { grids: boolean; findings: boolean; cases: boolean; buildings3d: boolean };
  tour: boolean;
  tourS: number;
  refreshS: number;
  /** after an interaction, the tour resumes once it has been quiet this long */
  quietS: number;
  lang: 'zh-CN' | 'en';
  theme: 'dark' | 'contrast';
  workspace: string | null;
  feed: string | null;
  /** the wall's panel grid (columns × rows of displays), to keep tiles off the seams */
  wall: [number, number] | null;
}

const num = (v: string | null, fallback: number, min: number) => {
  const n = Number(v);
  return v !== null && Number.isFinite(n) ? Math.max(min, n) : fallback;
};

export function screenConfig(search: string): ScreenConfig {
  const q = new URLSearchParams(search);
  const layers = (q.get('layers') ?? 'grids,findings,cases').split(',').map((s) => s.trim());
  const wall = /^(\d)x(\d)$/.exec(q.get('wall') ?? '');
  const area = q.get('area') ?? '';
  return {
    area: /^(\d{9}|\d{12})$/.test(area) ? area : '',
    layers: { grids: layers.includes('grids'), findings: layers.includes('findings'), cases: layers.includes('cases'), buildings3d: layers.includes('buildings3d') },
    tour: q.get('tour') !== 'off',
    tourS: num(q.get('tourS'), 30, 0.1),
    refreshS: num(q.get('refreshS'), 60, 0.1),
    quietS: num(q.get('quietS'), 60, 0),
    lang: q.get('lang') === 'en' ? 'en' : 'zh-CN',
    theme: q.get('theme') === 'contrast' ? 'contrast' : 'dark',
    workspace: q.get('workspace'),
    feed: q.get('feed'),
    wall: wall ? [Number(wall[1]), Number(wall[2])] : null,
  };
}

/** Whether the page is the big screen: the /screen route (or ?screen for servers without a fallback). */
export function isScreen(loc: { pathname: string; search: string }): boolean {
  return /\/screen\/?$/.test(loc.pathname) || new URLSearchParams(loc.search).has('screen');
}
