// npm run bench: prints figures; asserts nothing (machines here are shared and noisy).
import { benchPageLoad } from './bench/page-load';

await benchPageLoad(Number(process.env.BENCH_RUNS ?? 5));
