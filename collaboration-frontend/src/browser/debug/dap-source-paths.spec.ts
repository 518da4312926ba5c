import * as assert from 'node:assert/strict';
import { mapSourcePaths } from './dap-source-paths';

const toGuest = (path: string) => path.startsWith('/home/hana/ws/') ? `ensemble://room/ws/${path.slice('/home/hana/ws/'.length)}` : undefined;

describe('debugging for guests: source paths in DAP bodies', () => {
    it('maps the sources of stack frames, breakpoints and loaded sources, and leaves everything else alone', () => {
        const body = {
            stackFrames: [
                { id: 1, name: 'main', line: 4, column: 1, source: { name: 'main.js', path: '/home/hana/ws/src/main.js' } },
                { id: 2, name: 'lib', line: 9, column: 1, source: { name: 'lib.js', path: '/usr/lib/node/lib.js', sourceReference: 7 } },
                { id: 3, name: 'secret', line: 1, column: 1, source: { name: 'x.js', path: '/etc/x.js' } }
            ],
            sources: [{ name: 'a', path: '/home/hana/ws/a.js' }, { name: 'b', path: '/opt/b.js' }],
            path: '/home/hana/ws/not-a-source-field'
        };
        const mapped = mapSourcePaths(body, toGuest);
        assert.deepEqual(mapped.stackFrames.map(frame => frame.source), [
            { name: 'main.js', path: 'ensemble://room/ws/src/main.js' },
            { name: 'lib.js', sourceReference: 7 }, // fetched by reference; the host path is gone
            undefined // nothing names it without the host path: the frame has no source
        ]);
        assert.deepEqual(mapped.sources, [{ name: 'a', path: 'ensemble://room/ws/a.js' }]);
        assert.equal(mapped.path, '/home/hana/ws/not-a-source-field');
        assert.equal(body.stackFrames[0].source.path, '/home/hana/ws/src/main.js', 'the input is not changed');
    });

    it('passes through values that are not objects and stops at absurd depth (a peer\'s input)', () => {
        assert.equal(mapSourcePaths(undefined, toGuest), undefined);
        assert.equal(mapSourcePaths('x', toGuest), 'x');
        let deep: Record<string, unknown> = { source: { path: '/home/hana/ws/deep.js' } };
        for (let i = 0; i < 10_000; i++) {
            deep = { nested: deep };
        }
        assert.doesNotThrow(() => mapSourcePaths(deep, toGuest));
    });
});
