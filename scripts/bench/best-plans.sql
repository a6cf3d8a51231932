-- The hand-written SQL a GIS engineer would write for the checks (scripts/bench/realistic-checks.ts
-- times each statement, one core: max_parallel_workers_per_gather = 0). Plain tables in the
-- schema on the search_path, loaded by the bench from the realistic city's files, EPSG:4326,
-- a GiST index on every geom:
--   boundary(geom), grids(seq, code, geom), buildings(seq, id, geom), households(seq, geom)
-- Each statement follows a line "-- @name"; each returns one row of counts to compare with the
-- engine's answer (the same work, not only the same speed).

-- @households
-- Households per grid: each grid probes the households' GiST index (the lateral keeps one grid
-- per probe, so PostGIS's prepared-geometry cache prepares each grid once and every
-- ST_Intersects is a prepared point-in-polygon test). Points on a shared edge or vertex count in
-- every grid they touch. Returns the (household, grid) pairs and the grids holding any.
SELECT sum(n)::bigint AS pairs, count(*) AS grids_with_households
FROM (
  SELECT g.seq, count(*) AS n
  FROM grids g
  CROSS JOIN LATERAL (SELECT 1 FROM households h WHERE ST_Intersects(g.geom, h.geom)) x
  GROUP BY g.seq
) per_grid;

-- @buildings
-- Building shares: each grid probes the buildings' GiST index and keeps those it meets
-- (ST_Intersects, prepared: one grid per probe); a building the grid covers has share 1
-- without any overlay, the others ST_Intersection's area over the footprint's. The share is
-- worked out inside the lateral (OFFSET 0 keeps the planner from moving it after the sort by
-- building, where the grid changes every row and nothing stays prepared: 2.5× slower). The
-- largest share per building; not clean under 0.95, an orphan when no grid holds any of it.
SELECT count(*) FILTER (WHERE best < 0.95) AS straddling,
       (SELECT count(*) FROM buildings) - count(*) AS orphan_buildings
FROM (
  SELECT s.seq, max(s.share) AS best
  FROM grids g
  CROSS JOIN LATERAL (
    SELECT b.seq, CASE WHEN ST_Covers(g.geom, b.geom) THEN 1.0
                       ELSE ST_Area(ST_Intersection(g.geom, b.geom)) / ST_Area(b.geom) END AS share
    FROM buildings b WHERE ST_Intersects(g.geom, b.geom) OFFSET 0
  ) s
  GROUP BY s.seq
) shares;

-- @gaps
-- Gaps: the district minus the union of all grids (ST_Union: GEOS's cascaded union), dumped
-- into pieces; pieces over 1 m² measured on the spheroid (geography).
SELECT count(*) AS gaps, coalesce(sum(a), 0) AS gap_m2
FROM (
  SELECT ST_Area(d.geom::geography) AS a
  FROM (SELECT (ST_Dump(ST_Difference(b.geom, (SELECT ST_Union(geom) FROM grids)))).geom FROM boundary b) d
) pieces
WHERE a > 1;

-- @overlaps
-- Overlaps: pairs of grids found by && whose interiors meet (DE-9IM 2********), their
-- intersection's area on the spheroid; pairs over 1 m².
SELECT count(*) AS overlaps, coalesce(sum(a), 0) AS overlap_m2
FROM (
  SELECT ST_Area(ST_Intersection(a.geom, b.geom)::geography) AS a
  FROM grids a JOIN grids b ON a.seq < b.seq AND a.geom && b.geom
  WHERE ST_Relate(a.geom, b.geom, '2********')
) pairs
WHERE a > 1;
