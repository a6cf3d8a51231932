// FlatGeobuf writer with an explicit schema per layer.
//
// flatgeobuf's geojson.serialize infers the columns from the first feature (a null there
// makes a String column, and every number becomes a Double). Here each layer declares its
// columns, every feature is checked against them (same keys, same types), and the file is
// assembled from the package's own header and feature builders, so it reads back with
// flatgeobuf's deserialize (or GDAL) like any other FlatGeobuf file. A null value is not
// written: on reading, the key is simply absent from the properties.
import { writeFileSync } from 'node:fs';
import type { Geometry } from 'geojson';
import { buildHeader } from 'flatgeobuf/lib/mjs/generic/featurecollection.js';
import { buildFeature } from 'flatgeobuf/lib/mjs/generic/feature.js';
import { parseGeometry } from 'flatgeobuf/lib/mjs/geojson/geometry.js';
import { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js';
import { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js';
import { magicbytes } from 'flatgeobuf/lib/mjs/constants.js';
import type { ColumnMeta } from 'flatgeobuf/lib/mjs/column-meta.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';

export type ColKind = 'string' | 'bool' | 'short' | 'int' | 'double';

export interface Column {
  name: string;
  kind: ColKind;
  nullable?: boolean;
}

export interface OutFeature {
  geometry: Geometry;
  properties: Record<string, string | number | boolean | null>;
}

const TYPE: Record<ColKind, ColumnType> = {
  string: ColumnType.String,
  bool: ColumnType.Bool,
  short: ColumnType.Short,
  int: ColumnType.Int,
  double: ColumnType.Double,
};

const GEOM: Record<string, GeometryType> = {
  Point: GeometryType.Point,
  LineString: GeometryType.LineString,
  Polygon: GeometryType.Polygon,
  MultiPolygon: GeometryType.MultiPolygon,
  MultiLineString: GeometryType.MultiLineString,
};

function check(layer: string, columns: Column[], f: OutFeature, n: number): void {
  const keys = Object.keys(f.properties);
  if (keys.length !== columns.length || columns.some((c, k) => keys[k] !== c.name)) {
    throw new Error(`${layer}[${n}]: properties ${keys.join(',')} do not match columns ${columns.map((c) => c.name).join(',')}`);
  }
  for (const c of columns) {
    const v = f.properties[c.name];
    if (v === null) {
      if (!c.nullable) throw new Error(`${layer}[${n}].${c.name} is null`);
      continue;
    }
    const ok =
      c.kind === 'string'
        ? typeof v === 'string'
        : c.kind === 'bool'
          ? typeof v === 'boolean'
          : c.kind === 'double'
            ? typeof v === 'number' && Number.isFinite(v)
            : typeof v === 'number' &&
              Number.isInteger(v) &&
              (c.kind === 'short' ? Math.abs(v) < 32768 : Math.abs(v) < 2 ** 31);
    if (!ok) throw new Error(`${layer}[${n}].${c.name} = ${String(v)} is not a ${c.kind}`);
  }
}

export function encodeFgb(layer: string, columns: Column[], features: OutFeature[]): Uint8Array {
  if (!features.length) throw new Error(`${layer}: no features`);
  const gtype = features[0].geometry.type;
  const geometryType = GEOM[gtype];
  if (geometryType === undefined) throw new Error(`${layer}: unsupported geometry ${gtype}`);
  const cols: ColumnMeta[] = columns.map((c) => ({
    name: c.name,
    type: TYPE[c.kind],
    title: null,
    description: null,
    width: -1,
    precision: -1,
    scale: -1,
    nullable: !!c.nullable,
    unique: false,
    primary_key: false,
  }));
  const header: HeaderMeta = {
    geometryType,
    columns: cols,
    envelope: null,
    featuresCount: features.length,
    indexNodeSize: 0,
    crs: null,
    title: null,
    description: null,
    metadata: null,
  };
  const parts: Uint8Array[] = [];
  let size = magicbytes.length;
  const headerBytes = buildHeader(header, 4326);
  parts.push(headerBytes);
  size += headerBytes.length;
  features.forEach((f, n) => {
    if (f.geometry.type !== gtype) throw new Error(`${layer}[${n}]: mixed geometry types`);
    check(layer, columns, f, n);
    const bytes = buildFeature(parseGeometry(f.geometry as never), f.properties, header);
    parts.push(bytes);
    size += bytes.length;
  });
  const out = new Uint8Array(size);
  out.set(magicbytes, 0);
  let at = magicbytes.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function writeFgb(path: string, layer: string, columns: Column[], features: OutFeature[]): number {
  const bytes = encodeFgb(layer, columns, features);
  writeFileSync(path, bytes);
  return bytes.length;
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
