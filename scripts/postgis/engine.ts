// The seven coverage rules as SQL inside PostgreSQL/PostGIS (DESIGN "The coverage rules"),
// for data that already lives there: a province's grids, buildings and households. The same
// answers as the engine in the page (src/checks), worked out where the data is: only the
// findings and the per-grid counts come back, and the one report writer (checks/finish.ts)
// turns them into the same report.
//
// Where the engines must agree to the bit, the SQL does what the page does:
// - grids in code order, "lowest index wins" = lowest code;
// - a point on a shared edge belongs to one grid by the page's half-open crossing rule
//   (gs_holds: the same floating-point expression, evaluated only near an outline);
// - a building goes to the grid holding the largest share of its footprint, dedicated grids
//   first; straddling under 95 %;
// - land in the way GEOS's coverage validation works: directed edges matched by their exact
//   coordinates, and only communities with unmatched edges have their linework noded into
//   faces (ST_Polygonize), each face classified by what covers a point inside it, faces of one
//   finding merged; areas on the ellipsoid (geography).
// Joins that test a grid against many items are driven grid by grid (CROSS JOIN LATERAL), so
// PostGIS reuses each grid's prepared geometry: 38 s → 3.5 s on the city for households.
import type { Client } from 'pg';
import type { Geometry } from 'geojson';
import { DEFAULT_SETTINGS, type CheckSettings } from '../../src/checks/engine';
import { FINDING_RULE, type BandStatus, type Finding, type FindingKind, type GridReport, type Report, type Skipped } from '../../src/checks/report';
import { finishReport } from '../../src/checks/finish';
import { ident, type PgLayer } from './schema';

export type Tables = Partial<Record<PgLayer, string>>;

export function tablesIn(schema: string): Tables {
  return { boundaries: `${schema}.boundaries`, grids: `${schema}.grids`, buildings: `${schema}.buildings`, households: `${schema}.households` };
}

const EMPTY: Record<PgLayer, string> = {
  boundaries: 'SELECT NULL::int AS seq, NULL::text AS code, NULL::text AS name, NULL::text AS level, NULL::text AS parent_code, NULL::float8 AS band_min, NULL::float8 AS band_max, NULL::geometry AS geom WHERE false',
  grids: 'SELECT NULL::int AS seq, NULL::text AS code, NULL::text AS name, NULL::text AS kind, NULL::text AS community_code, NULL::text AS dedicated_type, NULL::float8 AS band_min, NULL::float8 AS band_max, NULL::geometry AS geom WHERE false',
  buildings: 'SELECT NULL::int AS seq, NULL::text AS id, NULL::boolean AS residential, NULL::geometry AS geom WHERE false',
  households: 'SELECT NULL::int AS seq, NULL::text AS id, NULL::text AS building_id, NULL::float8 AS residents, NULL::geometry AS geom WHERE false',
};

/** The statements, in order; each makes a temporary table the next ones read. */
function statements(t: Tables, s: CheckSettings): string[] {
  const src = (layer: PgLayer) => (t[layer] ? `(SELECT * FROM ${ident(t[layer]!)})` : `(${EMPTY[layer]})`);
  const [dMin, dMax] = s.defaultBand;
  return [
    // The page's crossing test (checks/rings.ts pointInPacked) over a polygon's rings, with the
    // same arithmetic: each edge worked out from its lower end.
    `CREATE FUNCTION pg_temp.gs_crossing(poly geometry, x float8, y float8) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
      SELECT coalesce(sum(CASE WHEN (ya > y) <> (yb > y) AND x < xa + ((y - ya) * (xb - xa)) / (yb - ya) THEN 1 ELSE 0 END), 0) % 2 = 1
      FROM (SELECT CASE WHEN y1 < y0 THEN x1 ELSE x0 END AS xa, CASE WHEN y1 < y0 THEN y1 ELSE y0 END AS ya,
                   CASE WHEN y1 < y0 THEN x0 ELSE x1 END AS xb, CASE WHEN y1 < y0 THEN y0 ELSE y1 END AS yb
            FROM (SELECT ST_X(ST_EndPoint(d.geom)) AS x1, ST_Y(ST_EndPoint(d.geom)) AS y1, ST_X(ST_StartPoint(d.geom)) AS x0, ST_Y(ST_StartPoint(d.geom)) AS y0
                  FROM ST_DumpSegments(poly) d) s) e $$`,
    // Does the polygon hold the point (the half-open rule on its outline)? Away from the
    // outline the exact predicate and the crossing test agree; near it, the crossing test decides.
    `CREATE FUNCTION pg_temp.gs_holds(poly geometry, outline geometry, p geometry) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
      SELECT CASE WHEN ST_DWithin(outline, p, 1e-9) THEN pg_temp.gs_crossing(poly, ST_X(p), ST_Y(p)) ELSE ST_Intersects(poly, p) END $$`,

    // ---- the layers as checked: usable, invalid ones made valid, grids in code order
    `CREATE TEMP TABLE gs_bnd AS
      SELECT seq, code, name, level, parent_code, band_min, band_max, geom FROM (
        SELECT *, row_number() OVER (PARTITION BY code ORDER BY seq) AS nth FROM (
          SELECT seq, code, name, level, parent_code, band_min, band_max,
            CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_CollectionExtract(ST_MakeValid(geom), 3) END AS geom, ST_IsValid(geom) AS valid
          FROM ${src('boundaries')} x WHERE code IS NOT NULL AND code <> '' AND geom IS NOT NULL) v
        WHERE NOT ST_IsEmpty(geom) AND ST_Area(geom) > 0) w WHERE nth = 1`,
    `CREATE TEMP TABLE gs_grid AS
      SELECT (row_number() OVER (ORDER BY code COLLATE "C", seq) - 1)::int AS idx, seq, code, coalesce(name, '') AS name,
        CASE WHEN kind = 'dedicated' THEN 'dedicated' ELSE 'base' END AS kind, community_code, band_min, band_max,
        CASE WHEN ST_NumGeometries(geom) = 1 THEN ST_GeometryN(geom, 1) ELSE geom END AS geom, NOT valid AS repaired
      FROM (SELECT seq, code, name, kind, community_code, band_min, band_max,
              CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_CollectionExtract(ST_MakeValid(geom), 3) END AS geom, ST_IsValid(geom) AS valid
            FROM ${src('grids')} x WHERE code IS NOT NULL AND code <> '' AND geom IS NOT NULL) v
      WHERE NOT ST_IsEmpty(geom) AND ST_Area(geom) > 0`,
    `ALTER TABLE gs_grid ADD COLUMN outline geometry`,
    `UPDATE gs_grid SET outline = ST_Boundary(geom)`,
    `CREATE INDEX ON gs_grid USING gist (geom)`,
    `ANALYZE gs_grid`,
    `CREATE TEMP TABLE gs_bld AS
      SELECT (row_number() OVER (ORDER BY seq) - 1)::int AS bi, seq, id, residential, geom, ST_Area(geom) AS area, NOT valid AS repaired,
        ST_XMin(geom) AS x0, ST_XMax(geom) AS x1, ST_YMin(geom) AS y0, ST_YMax(geom) AS y1 FROM (
        SELECT *, row_number() OVER (PARTITION BY id ORDER BY seq) AS nth FROM (
          SELECT seq, id, coalesce(residential, false) AS residential,
            CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_CollectionExtract(ST_MakeValid(geom), 3) END AS geom, ST_IsValid(geom) AS valid
          FROM ${src('buildings')} x WHERE id IS NOT NULL AND id <> '' AND geom IS NOT NULL) v
        WHERE NOT ST_IsEmpty(geom) AND ST_Area(geom) > 0) w WHERE nth = 1`,
    `CREATE INDEX ON gs_bld (id)`,
    `ANALYZE gs_bld`,
    `CREATE TEMP TABLE gs_hh AS
      SELECT (row_number() OVER (ORDER BY seq) - 1)::int AS hi, seq, id, building_id, coalesce(residents, -1) AS residents, geom,
        (building_id IS NOT NULL AND building_id <> '') AS has_bid
      FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY seq) AS nth FROM ${src('households')} x WHERE id IS NOT NULL AND id <> '') v
      WHERE nth = 1 AND (geom IS NULL OR (abs(ST_X(geom)) <= 180 AND abs(ST_Y(geom)) <= 90))`,
    `ALTER TABLE gs_hh ADD COLUMN bi int`,
    `UPDATE gs_hh h SET bi = b.bi FROM gs_bld b WHERE b.id = h.building_id`,
    `CREATE INDEX ON gs_hh (seq)`,
    `ANALYZE gs_hh`,

    // ---- rule 2: each building to the grid holding the largest share of its footprint,
    // dedicated grids first (a base grid's share is what is left of it after them)
    `CREATE INDEX ON gs_bld (seq)`,
    // candidates through the source table's own GiST index (a repaired footprint keeps its box),
    // ST_Covers inside the lateral: one grid per probe, so PostGIS prepares each grid once
    // (OFFSET 0 keeps it there); after the join by building the grid changes every row
    // (M: gs_bshare 7.7 s, nearly all ST_Covers unprepared); a box-only candidate (share 0)
    // dropped before any ST_Intersection; the grid's geometry not copied into every candidate
    // row (read from gs_grid where an overlay needs it). A repaired footprint is kept and tested again.
    `CREATE TEMP TABLE gs_bcand AS
      SELECT b.bi, g.idx, g.kind, c.covered FROM gs_grid g CROSS JOIN LATERAL (
        SELECT x.seq, ST_Covers(g.geom, x.geom) AS covered, ST_Intersects(g.geom, x.geom) AS hit FROM ${src('buildings')} x WHERE x.geom && g.geom OFFSET 0) c
        JOIN gs_bld b ON b.seq = c.seq WHERE c.hit OR b.repaired`,
    `CREATE INDEX ON gs_bcand (bi)`,
    `CREATE TEMP TABLE gs_bded AS SELECT DISTINCT bi FROM gs_bcand WHERE kind = 'dedicated'`,
    `CREATE TEMP TABLE gs_bshare AS
      SELECT c.bi, c.idx, c.kind,
        CASE WHEN (CASE WHEN b.repaired THEN ST_Covers(g.geom, b.geom) ELSE c.covered END) AND (c.kind = 'dedicated' OR d.bi IS NULL) THEN 1.0
          WHEN d.bi IS NULL OR c.kind = 'dedicated' THEN ST_Area(ST_Intersection(b.geom, g.geom)) / b.area
          ELSE ST_Area(ST_Difference(ST_Intersection(b.geom, g.geom),
            (SELECT ST_Union(ST_Intersection(b.geom, g2.geom)) FROM gs_bcand c2 JOIN gs_grid g2 ON g2.idx = c2.idx WHERE c2.bi = c.bi AND c2.kind = 'dedicated'))) / b.area END AS share
      FROM gs_bcand c JOIN gs_bld b ON b.bi = c.bi JOIN gs_grid g ON g.idx = c.idx LEFT JOIN gs_bded d ON d.bi = c.bi`,
    `DELETE FROM gs_bshare WHERE NOT (share > 1e-6)`,
    `CREATE INDEX ON gs_bshare (bi)`,
    `ANALYZE gs_bshare`,
    // ties (shares within 1e-9: a building cut exactly in half) to the lower index
    `CREATE TEMP TABLE gs_bgrid AS
      SELECT DISTINCT ON (s.bi) s.bi, s.idx, least(1.0, s.share) AS share
      FROM gs_bshare s JOIN (SELECT bi, max(share) AS top FROM gs_bshare GROUP BY bi) m ON m.bi = s.bi
      WHERE s.share >= m.top - 1e-9 ORDER BY s.bi, s.idx`,
    `CREATE INDEX ON gs_bgrid (bi)`,
    `ANALYZE gs_bgrid`,

    // ---- rule 3: each household's grid (by its point, else by its building)
    `CREATE TEMP TABLE gs_hit AS
      SELECT h.hi, g.idx, g.kind FROM gs_grid g CROSS JOIN LATERAL (
        SELECT x.seq FROM ${src('households')} x WHERE x.geom && g.geom AND pg_temp.gs_holds(g.geom, g.outline, x.geom)) c JOIN gs_hh h ON h.seq = c.seq`,
    `CREATE TEMP TABLE gs_hpick AS
      SELECT hi, coalesce(min(idx) FILTER (WHERE kind = 'dedicated'), min(idx)) AS idx,
        count(*) FILTER (WHERE kind = 'base') AS base_hits, bool_or(kind = 'dedicated') AS dedicated
      FROM gs_hit GROUP BY hi`,
    // a point on an outline the half-open rule gives to no grid (beside a gap, the district's edge)
    `INSERT INTO gs_hpick
      SELECT h.hi, coalesce(min(g.idx) FILTER (WHERE g.kind = 'dedicated'), min(g.idx)), CASE WHEN bool_or(g.kind = 'base') THEN 1 ELSE 0 END, bool_or(g.kind = 'dedicated')
      FROM gs_hh h JOIN gs_grid g ON h.geom && g.geom AND ST_Intersects(g.outline, h.geom)
      WHERE h.geom IS NOT NULL AND NOT EXISTS (SELECT 1 FROM gs_hit x WHERE x.hi = h.hi) GROUP BY h.hi`,
    `CREATE INDEX ON gs_hpick (hi)`,
    // temporary tables have no statistics until analysed: without them the planner loops over a million rows
    `ANALYZE gs_hpick`,
    // the building's box from gs_bld's columns: ST_XMin(b.geom) here read each footprint four
    // times per household (a million deserialised polygons on M)
    `CREATE TEMP TABLE gs_hout AS
      SELECT h.hi, h.id, h.building_id, h.residents, h.geom, h.bi,
        CASE WHEN h.geom IS NULL THEN bg.idx ELSE p.idx END AS idx,
        CASE
          WHEN h.geom IS NULL THEN CASE WHEN h.bi IS NULL THEN (CASE WHEN h.has_bid THEN 'dangling' ELSE 'orphan' END) WHEN bg.idx IS NULL THEN 'orphan' ELSE 'ok' END
          WHEN p.idx IS NULL THEN 'orphan'
          WHEN NOT p.dedicated AND p.base_hits > 1 THEN 'double'
          WHEN h.has_bid AND h.bi IS NULL THEN 'dangling'
          -- more than the limit from its building's box: not in the building either
          WHEN h.bi IS NOT NULL AND dist.m > ${s.misplacedM} THEN 'misplaced'
          ELSE 'ok' END AS outcome,
        dist.m AS distance
      FROM gs_hh h
      LEFT JOIN gs_hpick p ON p.hi = h.hi
      LEFT JOIN gs_bld b ON b.bi = h.bi
      LEFT JOIN gs_bgrid bg ON bg.bi = h.bi
      LEFT JOIN LATERAL (SELECT CASE WHEN b.bi IS NULL OR h.geom IS NULL THEN NULL ELSE
        (sqrt(power(greatest(b.x0 - ST_X(h.geom), 0, ST_X(h.geom) - b.x1) * 111320 * cos(radians(ST_Y(h.geom))), 2)
            + power(greatest(b.y0 - ST_Y(h.geom), 0, ST_Y(h.geom) - b.y1) * 111320, 2)))::real END AS m) dist ON true`,

    // ---- rule 1: land, per region (community; else district; else one region with no outline)
    `CREATE TEMP TABLE gs_region AS
      SELECT code, geom FROM gs_bnd WHERE level = 'community'
      UNION ALL SELECT code, geom FROM gs_bnd WHERE level = 'district' AND NOT EXISTS (SELECT 1 FROM gs_bnd WHERE level = 'community')`,
    `INSERT INTO gs_region SELECT '', NULL WHERE NOT EXISTS (SELECT 1 FROM gs_region)`,
    `CREATE TEMP TABLE gs_member AS
      SELECT g.idx, g.code, g.kind, g.geom,
        coalesce(
          (SELECT r.code FROM gs_region r WHERE (SELECT count(*) FROM gs_region) = 1 AND NOT EXISTS (SELECT 1 FROM gs_bnd WHERE level = 'community')),
          (SELECT r.code FROM gs_region r WHERE r.code = g.community_code),
          (SELECT r.code FROM gs_region r WHERE r.geom IS NOT NULL AND ST_Intersects(r.geom, ST_PointOnSurface(g.geom)) LIMIT 1)) AS region,
        (g.kind = 'dedicated' AND EXISTS (SELECT 1 FROM gs_grid o WHERE o.kind = 'base' AND o.geom && g.geom
          AND pg_temp.gs_holds(o.geom, o.outline, ST_PointOnSurface(g.geom)))) AS on_top
      FROM gs_grid g`,
    // directed edges: grid shells clockwise, the region's outline the other way; an edge is
    // matched when exactly it and its reverse, of another owner, are there
    `CREATE TEMP TABLE gs_seg AS
      SELECT m.region, m.idx AS owner, ST_X(ST_StartPoint(d.geom)) AS ax, ST_Y(ST_StartPoint(d.geom)) AS ay, ST_X(ST_EndPoint(d.geom)) AS bx, ST_Y(ST_EndPoint(d.geom)) AS by, d.geom
      FROM gs_member m CROSS JOIN LATERAL ST_DumpSegments(ST_ForcePolygonCW(m.geom)) d WHERE NOT m.on_top AND m.region IS NOT NULL
      UNION ALL
      SELECT r.code, -1, ST_X(ST_StartPoint(d.geom)), ST_Y(ST_StartPoint(d.geom)), ST_X(ST_EndPoint(d.geom)), ST_Y(ST_EndPoint(d.geom)), d.geom
      FROM gs_region r CROSS JOIN LATERAL ST_DumpSegments(ST_ForcePolygonCCW(r.geom)) d WHERE r.geom IS NOT NULL`,
    `DELETE FROM gs_seg WHERE ax = bx AND ay = by`,
    // each edge by its lower and higher end as plain float8 columns: a key that hashes and
    // sorts (a row value like least((ax, ay), (bx, by)) does neither, and a join on it compares
    // every pair of edges in a region: 394 s on a city of 3,000 grids)
    `CREATE TEMP TABLE gs_edge AS
      SELECT region, owner, ax, ay, bx, by, geom, fwd, NOT (n = 2 AND anyf AND NOT allf AND lo_owner <> hi_owner) AS unmatched FROM (
        SELECT s.*, count(*) OVER w AS n, bool_or(fwd) OVER w AS anyf, bool_and(fwd) OVER w AS allf, min(owner) OVER w AS lo_owner, max(owner) OVER w AS hi_owner
        FROM (SELECT g.*, (ax, ay) < (bx, by) AS fwd,
            CASE WHEN (ax, ay) < (bx, by) THEN ax ELSE bx END AS lox, CASE WHEN (ax, ay) < (bx, by) THEN ay ELSE by END AS loy,
            CASE WHEN (ax, ay) < (bx, by) THEN bx ELSE ax END AS hix, CASE WHEN (ax, ay) < (bx, by) THEN by ELSE ay END AS hiy
          FROM gs_seg g) s
        WINDOW w AS (PARTITION BY region, lox, loy, hix, hiy)) k`,
    `CREATE TEMP TABLE gs_unmatched AS SELECT region, owner, ax, ay, bx, by, geom, fwd FROM gs_edge WHERE unmatched`,
    `ANALYZE gs_unmatched`,
    // matched edges, once each: they split a defect's faces where they run through it
    `CREATE TEMP TABLE gs_matched AS SELECT region, geom FROM gs_edge WHERE NOT unmatched AND fwd`,
    `CREATE INDEX ON gs_matched USING gist (geom)`,
    `ANALYZE gs_matched`,
    `CREATE INDEX ON gs_member USING gist (geom)`,
    `ANALYZE gs_member`,
    // grids of one kind and of different communities (or in none) whose interiors meet (used
    // below: across communities, and to split a community's faces where they reach in)
    `CREATE TEMP TABLE gs_xpair AS
      SELECT a.idx AS a, b.idx AS b FROM gs_member a JOIN gs_member b ON a.idx < b.idx AND a.geom && b.geom
      WHERE a.kind = b.kind
        AND coalesce(a.region, '#' || a.idx) <> coalesce(b.region, '#' || b.idx) AND ST_Relate(a.geom, b.geom, '2********')`,
    `CREATE TEMP TABLE gs_xgrid AS SELECT a AS idx FROM gs_xpair UNION SELECT b FROM gs_xpair`,
    // faces, as GEOS's coverage validation finds them, local to the defects (checks/land.ts):
    // 1. the faces of each region's unmatched edges (and the outlines of dedicated grids on
    //    top). Across a matched edge the number of grids covering a point (less one inside the
    //    region) does not change, so each such face is all clean or all defect: one point in
    //    it tells which;
    `CREATE TEMP TABLE gs_uface AS
      SELECT row_number() OVER () AS fid, region, geom, ST_PointOnSurface(geom) AS pt FROM (
        SELECT region, (ST_Dump(ST_Polygonize(geom))).geom AS geom FROM (
          SELECT region, ST_Union(geom) AS geom FROM (
            SELECT region, geom FROM gs_unmatched
            UNION ALL SELECT region, ST_Boundary(geom) FROM gs_member WHERE on_top AND region IS NOT NULL) l
          GROUP BY region) q GROUP BY region, geom) f`,
    `CREATE TEMP TABLE gs_dface AS
      SELECT u.fid, u.region, u.geom FROM gs_uface u
      CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE NOT m.on_top) AS n, count(*) FILTER (WHERE m.on_top) AS top, count(*) AS n_all
        FROM gs_member m WHERE m.region = u.region AND m.geom && u.pt AND ST_Intersects(m.geom, u.pt)) c
      CROSS JOIN LATERAL (SELECT r.geom IS NULL OR ST_Intersects(r.geom, u.pt) AS inside FROM gs_region r WHERE r.code = u.region) i
      WHERE c.top > 0 OR CASE WHEN i.inside THEN c.n <> 1 ELSE c.n_all > 0 END`,
    `CREATE INDEX ON gs_dface USING gist (geom)`,
    `ANALYZE gs_dface`,
    // 2. a defect face cut again by the lines running through it: matched edges (a neighbour's
    //    shared edge splits an overlap of two pairs of grids) and, where the region has an
    //    outline, grids of other communities reaching in
    `CREATE TEMP TABLE gs_cut AS
      SELECT d.fid, e.geom FROM gs_dface d JOIN gs_matched e ON e.region = d.region AND e.geom && d.geom AND ST_Relate(d.geom, e.geom, 'T********')
      UNION ALL
      SELECT d.fid, ST_Boundary(o.geom) FROM gs_dface d JOIN gs_region r ON r.code = d.region AND r.geom IS NOT NULL
        JOIN gs_member o ON o.geom && d.geom AND coalesce(o.region, '#' || o.idx) <> d.region AND ST_Relate(d.geom, ST_Boundary(o.geom), 'T********')
        JOIN gs_xgrid x ON x.idx = o.idx`,
    `CREATE TEMP TABLE gs_face AS
      SELECT d.region, d.geom FROM gs_dface d WHERE NOT EXISTS (SELECT 1 FROM gs_cut c WHERE c.fid = d.fid)
      UNION ALL
      SELECT d.region, f.geom FROM gs_dface d CROSS JOIN LATERAL (
        SELECT (ST_Dump(ST_Polygonize(l.geom))).geom AS geom FROM (
          SELECT ST_Union(x.geom) AS geom FROM (SELECT ST_Boundary(d.geom) AS geom UNION ALL SELECT c.geom FROM gs_cut c WHERE c.fid = d.fid) x) l) f
      WHERE d.fid IN (SELECT fid FROM gs_cut) AND ST_Intersects(d.geom, ST_PointOnSurface(f.geom))`,
    `CREATE TEMP TABLE gs_label AS
      SELECT f.region, f.geom, c.covering, c.base, c.dedicated, c.above, c.all_grids, x.fbase, x.fdedicated,
        (SELECT r.geom IS NULL OR ST_Intersects(r.geom, f.pt) FROM gs_region r WHERE r.code = f.region) AS inside
      FROM (SELECT region, geom, ST_PointOnSurface(geom) AS pt FROM gs_face) f CROSS JOIN LATERAL (
        SELECT
          array_agg(m.code ORDER BY m.code COLLATE "C") FILTER (WHERE NOT m.on_top) AS covering,
          array_agg(m.code ORDER BY m.code COLLATE "C") FILTER (WHERE m.kind = 'base') AS base,
          array_agg(m.code ORDER BY m.code COLLATE "C") FILTER (WHERE m.kind = 'dedicated') AS dedicated,
          array_agg(m.code ORDER BY m.code COLLATE "C") FILTER (WHERE m.on_top) AS above,
          array_agg(m.code ORDER BY m.code COLLATE "C") AS all_grids
        FROM gs_member m WHERE m.region = f.region AND m.geom && f.pt AND ST_Intersects(m.geom, f.pt)) c
      -- grids of other communities (or none) covering it too: where one overlaps there with a
      -- grid of its kind, the piece is listed across communities, once (checks/land.ts foreign)
      CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE m.kind = 'base') AS fbase, count(*) FILTER (WHERE m.kind = 'dedicated') AS fdedicated
        FROM gs_member m WHERE coalesce(m.region, '#' || m.idx) <> f.region AND m.geom && f.pt AND ST_Intersects(m.geom, f.pt)) x`,
    `CREATE TEMP TABLE gs_piece AS
      SELECT region, kind, ids, (ST_Dump(ST_Union(geom))).geom AS geom FROM (
        SELECT region, geom,
          CASE WHEN NOT inside THEN CASE WHEN all_grids IS NOT NULL THEN 'spill' END
            WHEN covering IS NULL THEN CASE WHEN above IS NULL THEN 'gap' WHEN cardinality(above) > 1 THEN 'overlap' END
            WHEN NOT (coalesce(cardinality(base), 0) > 1 OR coalesce(cardinality(dedicated), 0) > 1) THEN NULL
            WHEN (fbase > 0 AND coalesce(cardinality(base), 0) + fbase > 1) OR (fdedicated > 0 AND coalesce(cardinality(dedicated), 0) + fdedicated > 1) THEN 'across'
            ELSE 'overlap' END AS kind,
          CASE WHEN NOT inside THEN all_grids
            WHEN covering IS NULL THEN coalesce(above, '{}'::text[])
            WHEN (fbase > 0 AND coalesce(cardinality(base), 0) + fbase > 1) OR (fdedicated > 0 AND coalesce(cardinality(dedicated), 0) + fdedicated > 1) THEN '{}'::text[]
            ELSE (SELECT array_agg(c ORDER BY c COLLATE "C") FROM unnest(
              (CASE WHEN coalesce(cardinality(base), 0) > 1 THEN base ELSE '{}' END) || (CASE WHEN coalesce(cardinality(dedicated), 0) > 1 THEN dedicated ELSE '{}' END)) c) END AS ids
        FROM gs_label) l
      WHERE kind IS NOT NULL GROUP BY region, kind, ids`,
    `ALTER TABLE gs_piece ADD COLUMN area float8`,
    `UPDATE gs_piece SET area = ST_Area(geom::geography, true)`,
    `DELETE FROM gs_piece WHERE area < 1e-6`,
    // a gap's grids: those whose outline runs along it (within 1e-9°: the faces' vertices are
    // the noder's, a hair off the grids' edges), not those touching it at a corner
    `UPDATE gs_piece p SET ids = coalesce((SELECT array_agg(m.code ORDER BY m.code COLLATE "C") FROM gs_member m
        WHERE m.region = p.region AND NOT m.on_top AND m.geom && p.geom
        AND ST_Length(ST_Intersection(ST_Boundary(p.geom), ST_Buffer(ST_Boundary(m.geom), 1e-9))) > 1e-7), '{}') WHERE kind = 'gap'`,
    // invalid edges: unmatched grid edges lying along another grid's unmatched edge, or
    // around a sliver between grids, in a group of unmatched edges with nothing listed there
    `CREATE TEMP TABLE gs_ucluster AS
      SELECT u.*, ST_ClusterDBSCAN(u.geom, 0, 1) OVER (PARTITION BY u.region) AS cluster FROM gs_unmatched u`,
    `CREATE INDEX ON gs_ucluster USING gist (geom)`,
    `CREATE INDEX ON gs_ucluster (region, cluster)`,
    `ANALYZE gs_ucluster`,
    `ALTER TABLE gs_piece ADD COLUMN outline geometry`,
    `UPDATE gs_piece SET outline = ST_Boundary(geom)`,
    `CREATE INDEX ON gs_piece USING gist (geom)`,
    `ANALYZE gs_piece`,
    // a group of edges with a listed piece along one of them says nothing more (the piece
    // says it): found first, one piece per group is enough
    `CREATE TEMP TABLE gs_quiet AS
      SELECT c.region, c.cluster FROM (SELECT DISTINCT region, cluster FROM gs_ucluster) c WHERE EXISTS (
        SELECT 1 FROM gs_ucluster u JOIN gs_piece p ON p.region = u.region AND p.area >= ${s.sliverM2} AND p.geom && u.geom
          AND ST_Length(ST_Intersection(p.outline, u.geom)) > 0 WHERE u.region = c.region AND u.cluster = c.cluster)`,
    `CREATE TEMP TABLE gs_loud AS
      SELECT u.* FROM gs_ucluster u WHERE u.owner >= 0 AND NOT EXISTS (SELECT 1 FROM gs_quiet q WHERE q.region = u.region AND q.cluster = u.cluster)`,
    `ANALYZE gs_loud`,
    `CREATE TEMP TABLE gs_suspect AS
      SELECT DISTINCT u.region, u.cluster, u.owner, u.ax, u.ay, u.bx, u.by FROM gs_loud u WHERE (
        EXISTS (SELECT 1 FROM gs_ucluster o WHERE o.region = u.region AND o.owner >= 0 AND o.owner <> u.owner AND o.geom && u.geom
          AND ST_Length(ST_Intersection(o.geom, u.geom)) > 0)
        OR EXISTS (SELECT 1 FROM gs_piece p WHERE p.region = u.region AND p.area < ${s.sliverM2} AND p.geom && u.geom
          AND ST_Length(ST_Intersection(p.outline, u.geom)) > 0
          AND NOT EXISTS (SELECT 1 FROM gs_ucluster r WHERE r.region = p.region AND r.owner = -1 AND r.geom && p.geom AND ST_Length(ST_Intersection(p.outline, r.geom)) > 0)))`,

    // ---- rule 1 across communities (checks/across.ts): two grids of one kind, of different
    // communities (or in none), whose interiors meet; the faces of their linework, each with
    // the grids of one kind covering it, kept where those are of two communities or more
    `CREATE TEMP TABLE gs_xface AS
      SELECT (ST_Dump(p)).geom AS geom FROM (SELECT ST_Polygonize(l.geom) AS p FROM (
        SELECT ST_Union(ST_Boundary(m.geom)) AS geom FROM gs_member m JOIN gs_xgrid x ON x.idx = m.idx) l WHERE l.geom IS NOT NULL) q`,
    `CREATE TEMP TABLE gs_xlabel AS
      SELECT f.geom,
        (CASE WHEN cardinality(c.base) > 1 THEN c.base ELSE '{}' END) || (CASE WHEN cardinality(c.dedicated) > 1 THEN c.dedicated ELSE '{}' END) AS ids,
        (CASE WHEN cardinality(c.base) > 1 THEN c.base_r ELSE '{}' END) || (CASE WHEN cardinality(c.dedicated) > 1 THEN c.dedicated_r ELSE '{}' END) AS regions
      FROM (SELECT geom, ST_PointOnSurface(geom) AS pt FROM gs_xface) f CROSS JOIN LATERAL (
        SELECT array_agg(m.code) FILTER (WHERE m.kind = 'base') AS base, array_agg(m.code) FILTER (WHERE m.kind = 'dedicated') AS dedicated,
          array_agg(coalesce(m.region, '#' || m.idx)) FILTER (WHERE m.kind = 'base') AS base_r,
          array_agg(coalesce(m.region, '#' || m.idx)) FILTER (WHERE m.kind = 'dedicated') AS dedicated_r
        FROM gs_member m JOIN gs_xgrid x ON x.idx = m.idx WHERE m.geom && f.pt AND ST_Intersects(m.geom, f.pt)) c`,
    `CREATE TEMP TABLE gs_xpiece AS
      SELECT ids, (ST_Dump(ST_Union(geom))).geom AS geom FROM (
        SELECT geom, (SELECT array_agg(c ORDER BY c COLLATE "C") FROM unnest(ids) c) AS ids FROM gs_xlabel
        WHERE (SELECT count(DISTINCT r) FROM unnest(regions) r) > 1) l GROUP BY ids`,
    `ALTER TABLE gs_xpiece ADD COLUMN area float8`,
    `UPDATE gs_xpiece SET area = ST_Area(geom::geography, true)`,

    // ---- the boundary layer (checks/boundaryLayer.ts): polygons of one level under one
    // parent over each other, and the parts of a loaded parent none of them covers
    `ALTER TABLE gs_bnd ADD COLUMN grp text`,
    `UPDATE gs_bnd SET grp = coalesce(level, '') || '|' || coalesce(parent_code, '')`,
    `CREATE TEMP TABLE gs_bface AS
      SELECT grp, (ST_Dump(p)).geom AS geom FROM (SELECT grp, ST_Polygonize(geom) AS p FROM (
        SELECT grp, ST_Union(ST_Boundary(geom)) AS geom FROM gs_bnd GROUP BY grp HAVING count(*) > 1) l GROUP BY grp) q`,
    `CREATE TEMP TABLE gs_bpiece AS
      SELECT 'boundary_overlap'::text AS kind, grp, ids, (ST_Dump(ST_Union(geom))).geom AS geom FROM (
        SELECT f.grp, f.geom, (SELECT array_agg(b.code ORDER BY b.code COLLATE "C") FROM gs_bnd b
          WHERE b.grp = f.grp AND b.geom && f.pt AND ST_Intersects(b.geom, f.pt)) AS ids
        FROM (SELECT grp, geom, ST_PointOnSurface(geom) AS pt FROM gs_bface) f) l
      WHERE cardinality(ids) > 1 GROUP BY grp, ids`,
    `INSERT INTO gs_bpiece
      SELECT 'boundary_gap', c.grp, ARRAY[p.code], (ST_Dump(ST_Difference(p.geom, c.geom))).geom
      FROM (SELECT grp, min(parent_code) AS parent_code, ST_Union(geom) AS geom FROM gs_bnd WHERE parent_code IS NOT NULL AND parent_code <> '' GROUP BY grp) c
      JOIN gs_bnd p ON p.code = c.parent_code`,
    `ALTER TABLE gs_bpiece ADD COLUMN area float8`,
    `UPDATE gs_bpiece SET area = ST_Area(geom::geography, true)`,
    `DELETE FROM gs_bpiece WHERE NOT (area >= ${s.sliverM2})`,
    // a gap's polygons: those whose outline runs along it (as a gap's grids are found)
    `UPDATE gs_bpiece p SET ids = ids || coalesce((SELECT array_agg(b.code ORDER BY b.code COLLATE "C") FROM gs_bnd b
        WHERE b.grp = p.grp AND b.geom && p.geom
        AND ST_Length(ST_Intersection(ST_Boundary(p.geom), ST_Buffer(ST_Boundary(b.geom), 1e-9))) > 1e-7), '{}') WHERE kind = 'boundary_gap'`,

    // ---- rule 5: each base grid's band (its own, its community's, the default)
    `CREATE TEMP TABLE gs_band AS
      SELECT g.idx, CASE WHEN g.kind <> 'base' THEN NULL
        WHEN g.band_min IS NOT NULL AND g.band_max IS NOT NULL AND g.band_max > 0 THEN ARRAY[g.band_min, g.band_max]
        WHEN c.band_max IS NOT NULL AND c.band_min IS NOT NULL AND c.band_max > 0 THEN ARRAY[c.band_min, c.band_max]
        ELSE ARRAY[${dMin}::float8, ${dMax}::float8] END AS band
      FROM gs_grid g LEFT JOIN gs_bnd c ON c.code = g.community_code`,
  ];
}

interface Row { [k: string]: unknown }

/** Milliseconds per statement of the last check (the benchmark prints the slowest). */
export const lastTimings: { sql: string; ms: number }[] = [];

/** With `explain`, each statement's plan as it ran (EXPLAIN ANALYZE), for the README's table of plans. */
export const lastPlans: { sql: string; plan: string }[] = [];

export async function checkInPostgis(db: Client, tables: Tables, settings: CheckSettings = DEFAULT_SETTINGS, opts: { explain?: boolean } = {}): Promise<Report> {
  await db.query('BEGIN');
  // room for the hash joins and sorts over a million households (this transaction only)
  await db.query(`SET LOCAL work_mem = '256MB'`);
  lastTimings.length = 0;
  lastPlans.length = 0;
  try {
    for (const sql of statements(tables, settings)) {
      const t = performance.now();
      if (opts.explain && /^\s*(CREATE TEMP TABLE|INSERT|UPDATE|DELETE)/.test(sql)) {
        const plan = (await db.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${sql}`)).rows.map((r) => String(r['QUERY PLAN'])).join('\n');
        lastPlans.push({ sql, plan });
      } else await db.query(sql);
      lastTimings.push({ sql: sql.replace(/\s+/g, ' ').slice(0, 90), ms: performance.now() - t });
    }
    const report = await collect(db, settings);
    await db.query('ROLLBACK'); // temporary tables and functions go; the data was only read
    return report;
  } catch (e) {
    // the first error is the one to tell (a ROLLBACK on a lost connection fails as well)
    await db.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

async function collect(db: Client, s: CheckSettings): Promise<Report> {
  const q = async (sql: string) => {
    const t = performance.now();
    const rows = (await db.query(sql)).rows as Row[];
    lastTimings.push({ sql: sql.replace(/\s+/g, ' ').slice(0, 90), ms: performance.now() - t });
    return rows;
  };
  const findings: Finding[] = [];
  const add = (kind: FindingKind, ids: string[], measure: Finding['measure'], geometry: unknown) =>
    findings.push({ kind, rule: FINDING_RULE[kind], ids, measure, geometry: geometry ? JSON.parse(String(geometry)) as Geometry : null });
  const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

  // rule 1 and the edge part of rule 7
  let landBad = 0;
  const slivers = { count: 0, area_m2: 0 };
  for (const r of await q(`SELECT kind, ids, area, ST_AsGeoJSON(geom, 15) AS g FROM gs_piece`)) {
    const area = Number(r.area);
    if (area < s.sliverM2) { slivers.count++; slivers.area_m2 += area; continue; }
    if (r.kind === 'across') continue; // listed across communities (gs_xpiece)
    landBad += area;
    add(r.kind as FindingKind, r.ids as string[], { area_m2: round(area, 2) }, r.g);
  }
  for (const r of await q(`SELECT ids, area, ST_AsGeoJSON(geom, 15) AS g FROM gs_xpiece WHERE area >= ${s.sliverM2}`)) {
    landBad += Number(r.area);
    add('overlap', r.ids as string[], { area_m2: round(Number(r.area), 2) }, r.g);
  }
  for (const r of await q(`SELECT kind, ids, area, ST_AsGeoJSON(geom, 15) AS g FROM gs_bpiece`)) {
    add(r.kind as FindingKind, r.ids as string[], { area_m2: round(Number(r.area), 2) }, r.g);
  }
  for (const r of await q(`SELECT array_agg(DISTINCT m.code ORDER BY m.code) AS ids,
      ST_AsGeoJSON(ST_Collect(ST_MakeLine(ST_MakePoint(ax, ay), ST_MakePoint(bx, by))), 15) AS g
      FROM gs_suspect x JOIN gs_grid m ON m.idx = x.owner GROUP BY x.region, x.cluster HAVING count(DISTINCT x.owner) > 1`)) {
    add('invalid_edges', r.ids as string[], {}, r.g);
  }

  // rule 2
  const gridRows = await q(`SELECT g.idx, g.code, g.name, g.kind, g.community_code, ST_AsGeoJSON(g.geom, 15) AS g, b.band,
      GeometryType(g.geom) = 'MULTIPOLYGON' AND ST_NumGeometries(g.geom) > 1 AS islands, ST_NumGeometries(g.geom) AS parts
      FROM gs_grid g JOIN gs_band b ON b.idx = g.idx ORDER BY g.idx`);
  const code = gridRows.map((g) => String(g.code));
  const straddling = await q(`SELECT b.id, bg.share, (SELECT array_agg(x.idx ORDER BY x.share DESC, x.idx) FROM gs_bshare x WHERE x.bi = b.bi AND x.idx <> bg.idx) AS others,
      bg.idx, ST_AsGeoJSON(b.geom, 15) AS g FROM gs_bld b LEFT JOIN gs_bgrid bg ON bg.bi = b.bi WHERE bg.bi IS NULL OR bg.share < ${s.cleanShare}`);
  for (const r of straddling) {
    if (r.idx === null) add('orphan_building', [String(r.id)], {}, r.g);
    else add('straddling_building', [String(r.id), ...[Number(r.idx), ...((r.others as number[] | null) ?? [])].map((k) => code[k])], { share: round(Number(r.share), 4) }, r.g);
  }
  const [bt] = await q(`SELECT count(*) AS n, count(bg.bi) FILTER (WHERE bg.share >= ${s.cleanShare}) AS clean FROM gs_bld b LEFT JOIN gs_bgrid bg ON bg.bi = b.bi`);
  const perGridB = new Map((await q(`SELECT idx, count(*) AS n FROM gs_bgrid GROUP BY idx`)).map((r) => [Number(r.idx), Number(r.n)]));

  // rules 3 and 4
  for (const r of await q(`SELECT o.id, o.building_id, o.outcome, o.distance, o.residents, ST_AsGeoJSON(o.geom, 15) AS g,
      CASE WHEN o.outcome = 'double' THEN (SELECT array_agg(x.idx ORDER BY x.idx) FROM gs_hit x WHERE x.hi = o.hi AND x.kind = 'base') END AS codes
      FROM gs_hout o WHERE o.outcome <> 'ok' OR NOT (o.residents > 0)`)) {
    const res = r.residents === null ? NaN : Number(r.residents);
    if (!(res > 0)) add('no_residents', [String(r.id)], { count: res === 0 ? 0 : -1 }, r.g);
    if (r.outcome === 'dangling') add('dangling_household', [String(r.id), String(r.building_id)], {}, r.g);
    else if (r.outcome === 'orphan') add('orphan_household', [String(r.id)], {}, r.g);
    else if (r.outcome === 'misplaced') add('misplaced_household', [String(r.id), String(r.building_id)], { distance_m: round(Number(r.distance), 1) }, r.g);
    else if (r.outcome === 'double') {
      const codes = (r.codes as number[]).map((k) => code[k]);
      add('double_household', [String(r.id), ...codes], { count: codes.length }, r.g);
    }
  }
  const [ht] = await q(`SELECT count(*) AS kept, count(*) FILTER (WHERE outcome = 'ok') AS ok, count(*) FILTER (WHERE residents > 0) AS people,
      coalesce(sum(residents) FILTER (WHERE residents > 0), 0) AS residents FROM gs_hout`);
  const perGridH = new Map((await q(`SELECT idx, count(*) AS n, coalesce(sum(residents) FILTER (WHERE residents > 0), 0) AS r FROM gs_hout WHERE idx IS NOT NULL GROUP BY idx`))
    .map((r) => [Number(r.idx), { n: Number(r.n), r: Number(r.r) }]));
  for (const r of await q(`SELECT b.id, ST_AsGeoJSON(b.geom, 15) AS g FROM gs_bld b WHERE b.residential AND NOT EXISTS (SELECT 1 FROM gs_hout o WHERE o.bi = b.bi)`)) {
    add('empty_building', [String(r.id)], { count: 0 }, r.g);
  }
  const [rt] = await q(`SELECT count(*) FILTER (WHERE residential) AS residential FROM gs_bld`);
  const empty = findings.filter((f) => f.kind === 'empty_building').length;

  // rule 5
  const kept = Number(ht.kept);
  const grids: GridReport[] = gridRows.map((g) => {
    const i = Number(g.idx);
    const band = g.band ? (g.band as number[]).map(Number) as [number, number] : null;
    const n = perGridH.get(i)?.n ?? 0;
    const status: BandStatus = !band || kept === 0 ? 'none' : n < band[0] ? 'under' : n > band[1] ? 'over' : 'in';
    if (status === 'under' || status === 'over') add(status === 'under' ? 'under_band' : 'over_band', [code[i]], { count: n, band: band! }, g.g);
    return { code: code[i], name: String(g.name), kind: g.kind as GridReport['kind'], households: n, buildings: perGridB.get(i) ?? 0, residents: perGridH.get(i)?.r ?? 0, band, band_status: status };
  });

  // rule 6
  const communities = new Set((await q(`SELECT code FROM gs_bnd WHERE level = 'community'`)).map((r) => String(r.code)));
  const count = new Map<string, number>();
  for (const c of code) count.set(c, (count.get(c) ?? 0) + 1);
  const codesBad = new Set<number>();
  for (const g of gridRows) {
    const i = Number(g.idx), c = code[i], cc = g.community_code === null ? '' : String(g.community_code);
    if (!/^[0-9]{15}$/.test(c)) { add('bad_code', [c], {}, g.g); codesBad.add(i); }
    else if (cc && c.slice(0, 12) !== cc) { add('code_prefix_mismatch', [c, cc], {}, g.g); codesBad.add(i); }
    if (!cc || cc.length !== 12 || (communities.size > 0 && !communities.has(cc))) { add('no_community', [c, cc], {}, g.g); codesBad.add(i); }
    if ((count.get(c) ?? 0) > 1) codesBad.add(i);
  }
  for (const [c, n] of count) if (n > 1) add('duplicate_code', [c], { count: n }, null);

  // rule 7: islands
  const shapeBad = new Set<string>();
  for (const g of gridRows) {
    if (g.kind === 'base' && g.islands) { add('islands', [String(g.code)], { count: Number(g.parts) }, g.g); shapeBad.add(String(g.code)); }
  }
  for (const f of findings) if (f.kind === 'invalid_edges') f.ids.forEach((c) => shapeBad.add(c));

  const [land] = await q(`SELECT bool_and(geom IS NULL) AS none, coalesce(sum(ST_Area(geom::geography, true)), 0) AS area FROM gs_region`);
  const [bnd] = await q(`SELECT count(*) AS n FROM gs_bnd`);
  const skipped = await skippedRows(db);
  return finishReport({
    grids, findings, skipped: skipped.skipped, repaired: skipped.repaired,
    buildings: Number(bt.n), cleanBuildings: Number(bt.clean), households: kept, householdsOk: Number(ht.ok), peopleOk: Number(ht.people), residents: Number(ht.residents),
    residential: Number(rt.residential), emptyBuildings: empty, codesBad: codesBad.size, shapeBad: shapeBad.size, boundaries: Number(bnd.n),
    landBad, landArea: land.none ? null : Number(land.area), slivers,
  });
}

/** Invalid shapes made valid before the checks (by layer and id); what could not be used is left to the loader's report. */
async function skippedRows(db: Client): Promise<{ skipped: Skipped[]; repaired: Skipped[] }> {
  const rows = (await db.query(`SELECT 'grids' AS layer, code AS id FROM gs_grid WHERE repaired UNION ALL SELECT 'buildings', id FROM gs_bld WHERE repaired`)).rows as { layer: Skipped['layer']; id: string }[];
  return { skipped: [], repaired: rows.map((r) => ({ layer: r.layer, id: r.id, code: 'invalid_rings', params: {}, reason: 'made valid (ST_MakeValid)' })) };
}
