import { checkEnvelopeRules, EnvelopeSchema, type Envelope } from './envelope';
import { sharedSchemaCompiler, type Validator } from './schema-validator';

export type EnvelopeCheck =
    | { readonly valid: true; readonly envelope: Envelope }
    | { readonly valid: false; readonly problem: string };

let envelopeValidator: Validator | undefined;

/** Validates the shape of anything that arrived as an envelope; params are checked later, per method. */
export function validateEnvelope(candidate: unknown): EnvelopeCheck {
    envelopeValidator ??= sharedSchemaCompiler().compile(EnvelopeSchema, 'envelope');
    const problem = envelopeValidator(candidate);
    if (problem !== undefined) {
        return { valid: false, problem };
    }
    const envelope = candidate as Envelope;
    const ruleProblem = checkEnvelopeRules(envelope);
    return ruleProblem === undefined ? { valid: true, envelope } : { valid: false, problem: ruleProblem };
}

/**
 * The request id of a rejected envelope, if it has a usable one, so that the
 * error reply can settle the sender's pending request instead of letting it time out.
 */
export function requestIdOf(candidate: unknown): number | undefined {
    if (candidate !== null && typeof candidate === 'object') {
        const { kind, id } = candidate as { kind?: unknown; id?: unknown };
        if (kind === 'request' && typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) {
            return id;
        }
    }
    return undefined;
}
