// Broken files of every kind (tests/fixtures/broken, made by scripts/fixtures/make-broken.mts):
// a file that cannot be read is refused whole with a message naming it; a file that can is
// imported in part, every rejected feature or row named with its reason.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guessRole, prepareLayer, readAnyFile } from '../../src/workspace/importFile';
import { guessFields } from '../../src/io/fieldGuess';
import { zhCN } from '../../src/i18n/zh-CN';
import { en } from '../../src/i18n/en';

const dir = 'tests/fixtures/broken';
const expected = JSON.parse(readFileSync(`${dir}/broken.expected.json`, 'utf8'));

describe('broken files', () => {
  for (const [name, message] of Object.entries(expected.unreadable as Record<string, string>)) {
    it(`refuses ${name}, naming it and what is wrong`, async () => {
      await expect(readAnyFile(name, readFileSync(`${dir}/${name}`))).rejects.toThrow(new RegExp(`^${message}`));
    });
  }

  for (const [name, want] of Object.entries(expected.partly as Record<string, { role: string; imported: string[]; rejected: [string, string][]; repaired?: [string, string][] }>)) {
    it(`imports what is usable of ${name} and names each rejected item with its reason`, async () => {
      const [file] = await readAnyFile(name, readFileSync(`${dir}/${name}`));
      const role = guessRole(file);
      expect(role).toBe(want.role);
      const r = prepareLayer(file, role, guessFields(role, file.columns), { kind: 'wgs84' });
      expect(r.features.map((f) => String(f.properties!.id ?? f.properties!.code))).toEqual(want.imported);
      expect(r.rejected.map((x) => [x.id, x.code])).toEqual(want.rejected);
      expect(r.repaired.map((x) => [x.id, x.how])).toEqual(want.repaired ?? []);
      for (const x of r.rejected) {
        expect(x.reason.length).toBeGreaterThan(5);
        expect(zhCN.skip, x.code).toHaveProperty(x.code);
        expect(en.skip, x.code).toHaveProperty(x.code);
      }
    });
  }
});
