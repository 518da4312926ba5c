import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { closeRooms, setUpRoom, type BenchRoom, type ServerKind } from './bench-rooms';
import { measureLatency, measureThroughput } from './relay-measurements';

/**
 * `npm run bench`: the coordination server against a bare socket.io relay
 * (the peer), same machine, same payloads, same raw clients, in one run.
 * Every figure is printed with its ratio to the peer and the bar it must meet.
 */

interface ServerUnderTest {
    readonly kind: ServerKind;
    readonly url: string;
    readonly child: ChildProcess;
}

interface Scenario {
    readonly name: string;
    readonly rooms: number;
    readonly peers: number;
    readonly latencyMessages: number;
    readonly throughputPerPeer: number;
}

const SCENARIOS: readonly Scenario[] = [
    { name: '1 room x 2 peers', rooms: 1, peers: 2, latencyMessages: 1500, throughputPerPeer: 4000 },
    { name: '1 room x 10 peers', rooms: 1, peers: 10, latencyMessages: 1500, throughputPerPeer: 250 },
    { name: '1 room x 50 peers', rooms: 1, peers: 50, latencyMessages: 1000, throughputPerPeer: 20 },
    { name: '200 rooms x 4 peers', rooms: 200, peers: 4, latencyMessages: 2000, throughputPerPeer: 20 }
];

function startServer(kind: ServerKind): Promise<ServerUnderTest> {
    const child = fork(join(__dirname, 'bench-server.js'), [kind], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
        child.once('message', (message: { type: string; url: string }) => resolve({ kind, url: message.url, child }));
        child.once('exit', code => reject(new Error(`the ${kind} server exited with ${code}`)));
    });
}

function serverMemory(server: ServerUnderTest): Promise<number> {
    return new Promise(resolve => {
        server.child.once('message', (message: { bytes: number }) => resolve(message.bytes));
        server.child.send({ type: 'memory' });
    });
}

async function setUpRooms(server: ServerUnderTest, scenario: Scenario): Promise<BenchRoom[]> {
    const rooms: BenchRoom[] = [];
    // A few rooms at a time: the join flow is real and not what is measured here.
    for (let index = 0; index < scenario.rooms; index += 10) {
        const batch = Array.from({ length: Math.min(10, scenario.rooms - index) }, (_, offset) => setUpRoom(server.kind, server.url, scenario.peers, index + offset));
        rooms.push(...await Promise.all(batch));
    }
    return rooms;
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));
const format = (value: number, digits = 2): string => value.toFixed(digits);

interface Row {
    readonly scenario: string;
    readonly metric: string;
    readonly peer: number;
    readonly ensemble: number;
    readonly unit: string;
    readonly bar: string;
    readonly pass: boolean | undefined;
}

async function main(): Promise<void> {
    const bare = await startServer('bare');
    const ensemble = await startServer('ensemble');
    const rows: Row[] = [];
    try {
        // Memory per idle peer first, on fresh servers: 800 connected peers that send nothing.
        const idle = SCENARIOS[3];
        const memory: Record<ServerKind, number> = { bare: 0, ensemble: 0 };
        for (const server of [bare, ensemble]) {
            const before = await serverMemory(server);
            const rooms = await setUpRooms(server, idle);
            await sleep(1000);
            const after = await serverMemory(server);
            memory[server.kind] = (after - before) / (idle.rooms * idle.peers) / 1024;
            closeRooms(rooms);
            await sleep(500);
        }
        rows.push({ scenario: '800 idle peers', metric: 'memory per peer', peer: memory.bare, ensemble: memory.ensemble, unit: 'KB', bar: '<= 20 KB', pass: memory.ensemble <= 20 });

        const only = process.env.ENSEMBLE_BENCH_ONLY;
        for (const scenario of SCENARIOS.filter(candidate => !only || candidate.name.includes(only))) {
            const results: Record<ServerKind, { p50: number; p99: number; throughput: number }> = {
                bare: { p50: 0, p99: 0, throughput: 0 }, ensemble: { p50: 0, p99: 0, throughput: 0 }
            };
            for (const server of [bare, ensemble]) {
                const rooms = await setUpRooms(server, scenario);
                await sleep(300);
                await measureLatency(rooms, 200); // warm-up
                const latency = await measureLatency(rooms, scenario.latencyMessages);
                await measureThroughput(rooms, Math.max(1, Math.floor(scenario.throughputPerPeer / 10))); // warm-up
                const throughput = await measureThroughput(rooms, scenario.throughputPerPeer);
                results[server.kind] = { p50: latency.p50, p99: latency.p99, throughput };
                closeRooms(rooms);
                await sleep(300);
            }
            const { bare: peer, ensemble: ours } = results;
            rows.push({ scenario: scenario.name, metric: 'throughput', peer: peer.throughput, ensemble: ours.throughput, unit: 'deliveries/s', bar: '>= 0.80x', pass: ours.throughput / peer.throughput >= 0.8 });
            rows.push({ scenario: scenario.name, metric: 'latency p50', peer: peer.p50, ensemble: ours.p50, unit: 'ms', bar: '', pass: undefined });
            rows.push({ scenario: scenario.name, metric: 'latency p99', peer: peer.p99, ensemble: ours.p99, unit: 'ms', bar: '<= 1.25x', pass: ours.p99 / peer.p99 <= 1.25 });
        }
    } finally {
        bare.child.kill();
        ensemble.child.kill();
    }
    console.log('\nEnsemble coordination server vs bare socket.io relay (peer), same machine, same payloads, one run\n');
    console.log(['scenario'.padEnd(22), 'metric'.padEnd(16), 'peer'.padStart(12), 'ensemble'.padStart(12), 'unit'.padEnd(13), 'ratio'.padStart(7), 'bar'.padEnd(9), 'ok'].join(' '));
    for (const row of rows) {
        const digits = row.unit === 'deliveries/s' ? 0 : 2;
        const ratio = row.ensemble / row.peer;
        console.log([row.scenario.padEnd(22), row.metric.padEnd(16), format(row.peer, digits).padStart(12), format(row.ensemble, digits).padStart(12),
            row.unit.padEnd(13), `${format(ratio)}x`.padStart(7), row.bar.padEnd(9), row.pass === undefined ? '' : row.pass ? 'yes' : 'NO'].join(' '));
    }
    const failed = rows.filter(row => row.pass === false);
    console.log(failed.length === 0 ? '\nAll bars met.' : `\n${failed.length} bar(s) missed: ${failed.map(row => `${row.scenario} ${row.metric}`).join(', ')}`);
}

main().catch(error => {
    console.error(error);
    process.exit(1);
});
