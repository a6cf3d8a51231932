// shpjs ships no types; the part this project uses.
declare module 'shpjs' {
  import type { FeatureCollection } from 'geojson';
  interface ShapefileParts {
    shp: ArrayBuffer | Uint8Array;
    dbf?: ArrayBuffer | Uint8Array;
    cpg?: string;
    prj?: string;
  }
  export default function getShapefile(parts: ShapefileParts): Promise<FeatureCollection>;
}
