// npm run bench: prints figures; asserts nothing (machines here are shared and noisy).
// BENCH=checks or BENCH=page runs one part only.
import { benchChecks } from './bench/checks';
import { benchPageLoad } from './bench/page-load';

const only = process.env.BENCH;
if (!only || only === 'checks') benchChecks();
if (!only || only === 'page') await benchPageLoad(Number(process.env.BENCH_RUNS ?? 5));
