import * as assert from 'assert';
import { runSimulation } from './testing/simulation';

/**
 * Randomized sessions: ENSEMBLE_SIM_SEED=n replays one seed,
 * ENSEMBLE_SIM_SESSIONS=n runs that many (2,000 by default; `npm run soak`
 * runs far more), ENSEMBLE_SIM_FIRST_SEED=n starts elsewhere.
 */
describe('OT simulation (authority + 6-9 clients, delays, disconnects, undo)', () => {
    const replay = process.env.ENSEMBLE_SIM_SEED;
    const sessions = Number(process.env.ENSEMBLE_SIM_SESSIONS ?? 2000);
    const firstSeed = Number(process.env.ENSEMBLE_SIM_FIRST_SEED ?? 1);

    if (replay !== undefined) {
        it(`replays seed ${replay}`, () => {
            runSimulation(Number(replay));
        });
        return;
    }

    it(`converges without losing an acknowledged edit in ${sessions} seeded sessions`, function () {
        this.timeout(0);
        let applied = 0;
        let snapshots = 0;
        for (let seed = firstSeed; seed < firstSeed + sessions; seed++) {
            const result = runSimulation(seed);
            applied += result.appliedOps;
            snapshots += result.snapshotsSent;
        }
        // The runs must really exercise the machinery, resyncs by snapshot included.
        assert.ok(applied > sessions * 20, `only ${applied} operations applied`);
        assert.ok(snapshots > 0, 'no session needed a snapshot resync');
        console.log(`      ${sessions} sessions, ${applied} operations applied, ${snapshots} snapshot resyncs`);
    });
});
