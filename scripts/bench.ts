// npm run bench: prints figures; asserts nothing (machines here are shared and noisy).
// BENCH=checks, page, import, read, cases, editing, proposals, screen, city, cores, postgis or server runs one part only; BENCH_RUNS sets the runs.
import { benchChecks } from './bench/checks';
import { benchRealisticChecks } from './bench/realistic-checks';
import { benchPageLoad } from './bench/page-load';
import { benchImport } from './bench/import';
import { benchCases } from './bench/cases';
import { benchEditing } from './bench/editing';
import { benchProposals } from './bench/proposals';
import { benchScreen } from './bench/screen';
import { benchPostgis } from './bench/postgis';
import { benchTwoCores } from './bench/twoCores';
import { benchCityPage } from './bench/city-page';
import { benchServer } from './bench/server';
import { benchRead } from './bench/read';

const only = process.env.BENCH;
const runs = process.env.BENCH_RUNS ? Number(process.env.BENCH_RUNS) : undefined;
if (!only || only === 'checks') { benchChecks(); await benchRealisticChecks(runs ?? 5); } // then the realistic city S, M, L against PostGIS and GEOS
if (!only || only === 'page') await benchPageLoad(runs ?? 5);
if (!only || only === 'import') await benchImport(runs ?? 3); // slow: 200k footprints, twice drawn
if (!only || only === 'read') await benchRead(runs ?? 3); // npm run check's reading: roster CSV, GeoJSON and FlatGeobuf footprints
if (!only || only === 'cases') await benchCases(runs ?? 5);
if (!only || only === 'editing') await benchEditing();
if (!only || only === 'proposals') await benchProposals();
if (!only || only === 'screen') await benchScreen();
if (!only || only === 'city') await benchCityPage(runs ?? 3); // the city in Chromium: reopen, first draw, pan and zoom, heap
if (!only || only === 'cores') await benchTwoCores(runs ?? 5);
if (!only || only === 'postgis') await benchPostgis(runs ?? 3);
if (!only || only === 'server') await benchServer(runs ?? 30); // a real server process: edit round trips, the city opened from it, 50 readers + 10 planners
