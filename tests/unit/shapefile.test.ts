// Zipped Shapefiles made by scripts/fixtures/make-shapefiles.sh from tests/fixtures/land/clean.geojson.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readShapefileZip } from '../../src/io/shapefile';

const dir = 'tests/fixtures/shapefile';
const source = JSON.parse(readFileSync('tests/fixtures/land/clean.geojson', 'utf8'));
const zip = (name: string) => new Uint8Array(readFileSync(`${dir}/${name}`));

function expectSameGeometry(features: { geometry: any; properties: any }[], tolerance: number) {
  expect(features).toHaveLength(source.features.length);
  features.forEach((f, i) => {
    // Shapefile rings run clockwise, GeoJSON's counter-clockwise: compare the coordinate values.
    const a = f.geometry.coordinates.flat(2).sort((x: number, y: number) => x - y);
    const b = source.features[i].geometry.coordinates.flat(2).sort((x: number, y: number) => x - y);
    expect(a.length).toBe(b.length);
    a.forEach((v: number, k: number) => expect(Math.abs(v - b[k])).toBeLessThan(tolerance));
  });
}

describe('zipped Shapefile import', () => {
  it('reads GBK attributes when there is no .cpg, and says it guessed', async () => {
    const [layer] = await readShapefileZip(zip('gbk-no-cpg.zip'));
    expect(layer.encoding).toBe('gbk');
    expect(layer.encodingFrom).toBe('guess-gbk');
    expect(layer.features.map((f) => f.properties?.name)).toEqual(source.features.map((f: any) => f.properties.name));
    expect(layer.reprojected).toBe(false);
    expectSameGeometry(layer.features as never, 1e-9);
  });

  it('honours .cpg and converts a Gauss–Krüger .prj to lon/lat', async () => {
    const [layer] = await readShapefileZip(zip('gauss-kruger-4528.zip'));
    expect(layer.encodingFrom).toBe('cpg');
    expect(layer.encoding).toBe('gbk');
    expect(layer.prj).toMatch(/CGCS2000_3_Degree_GK_Zone_40/);
    expect(layer.reprojected).toBe(true);
    expect(layer.features[1].properties?.name).toBe('网格001');
    expectSameGeometry(layer.features as never, 1e-7);
  });

  it('names what is wrong with a broken archive', async () => {
    await expect(readShapefileZip(zip('truncated.zip'))).rejects.toThrow(/grids\.shp: cannot be read/);
    await expect(readShapefileZip(new TextEncoder().encode('not a zip'))).rejects.toThrow(/not a readable zip archive/);
  });
});
