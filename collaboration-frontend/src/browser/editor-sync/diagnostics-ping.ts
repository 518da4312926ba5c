import { defineRequest, type CollaborationSession } from '@ensemble/collaboration-common';
import { Type } from '@sinclair/typebox';
import type { Disposable } from '@theia/core/lib/common/disposable';
import { injectable } from '@theia/core/shared/inversify';
import type { CollaborationSessionContribution, SessionContext } from '../session/session-contribution';

/**
 * Any peer → any peer: answers with the receiver's clock. The bare round
 * trip through the coordination server, for the diagnostics ("how far is
 * the host?") and the latency benchmark's peer figure. Carries nothing and
 * changes nothing, so every role may ask it.
 */
export const DiagnosticsPing = defineRequest('diagnostics/ping',
    Type.Object({}, { additionalProperties: false }),
    Type.Object({ t: Type.Number() }, { additionalProperties: false }));

/** One ping: round trip, and the other clock minus the midpoint of ours (both performance.timeOrigin + now, ms). */
export interface PingSample {
    readonly rtt: number;
    readonly skew: number;
}

export function clockNow(): number {
    return performance.timeOrigin + performance.now();
}

/** Answers pings in every session, and sends them in the current one. */
@injectable()
export class DiagnosticsPingContribution implements CollaborationSessionContribution {
    private session: CollaborationSession | undefined;

    onSessionStarting({ session }: SessionContext): Disposable {
        this.session = session;
        const handler = session.onRequest(DiagnosticsPing, () => ({ t: clockNow() }));
        return {
            dispose: () => {
                handler.dispose();
                if (this.session === session) {
                    this.session = undefined;
                }
            }
        };
    }

    async ping(target: { type: 'host' } | { type: 'peer'; peer: string }, timeoutMs = 10_000): Promise<PingSample> {
        const session = this.session;
        if (!session) {
            throw new Error('This window is not in a collaboration session.');
        }
        const t0 = clockNow();
        const { t } = await session.sendRequest(DiagnosticsPing, {}, target, { timeoutMs });
        const t1 = clockNow();
        return { rtt: t1 - t0, skew: t - (t0 + t1) / 2 };
    }
}
