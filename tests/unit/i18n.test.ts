import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { zhCN } from '../../src/i18n/zh-CN';
import { en } from '../../src/i18n/en';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('messages', () => {
  it('English has every key Chinese has, and no empty text', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
    for (const k of keys(en)) {
      const get = (o: object) => k.split('.').reduce((x: any, p) => x[p], o);
      if (k.endsWith('.')) continue;
      expect(typeof get(en)).toBe('string');
    }
  });

  it('components hold no Chinese text of their own (it all comes from the message files)', () => {
    // src/ui and its folders (the big screen), and the editing modes' hints
    const files = readdirSync('src/ui', { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.tsx')).map((n) => `src/ui/${n}`);
    expect(files).toContain('src/ui/screen/Screen.tsx');
    for (const f of [...files, ...readdirSync('src/map/modes').map((n) => `src/map/modes/${n}`)]) {
      const src = readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '');
      expect(src, f).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
