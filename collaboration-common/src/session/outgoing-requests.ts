import type { Validator } from '../protocol/schema-validator';
import type { WireError } from '../protocol/envelope';
import { InvalidMessageError, RemoteError, RequestCancelledError, RequestTimeoutError, type SessionError } from './session-errors';

interface PendingRequest {
    readonly method: string;
    /** The only origin whose response is accepted: a peer cannot answer another peer's request. */
    readonly expectedOrigin: string;
    readonly validateResult: Validator | undefined;
    readonly resolve: (result: unknown) => void;
    readonly reject: (error: Error) => void;
    readonly cleanup: () => void;
}

export interface OutgoingRequestOptions {
    readonly method: string;
    readonly expectedOrigin: string;
    readonly validateResult?: Validator;
    readonly timeoutMs: number;
    readonly signal?: AbortSignal;
    /** Called when the request ends unanswered (timeout or abort), to tell the handler to stop. */
    readonly onAbandon?: () => void;
}

/** The requests this session sent and still waits for, by id. */
export class OutgoingRequests {
    private nextId = 1;
    private readonly pending = new Map<number, PendingRequest>();

    /** Registers a request and returns its id and the promise of its result. */
    start<R>(options: OutgoingRequestOptions): { id: number; result: Promise<R> } {
        const id = this.nextId++;
        const result = new Promise<R>((resolve, reject) => {
            if (options.signal?.aborted) {
                reject(new RequestCancelledError(options.method, options.signal.reason));
                return;
            }
            const abandon = (error: Error): void => {
                if (this.pending.delete(id)) {
                    cleanup();
                    options.onAbandon?.();
                    reject(error);
                }
            };
            const timer = setTimeout(() => abandon(new RequestTimeoutError(options.method, options.timeoutMs)), options.timeoutMs);
            const onAbort = (): void => abandon(new RequestCancelledError(options.method, options.signal?.reason));
            options.signal?.addEventListener('abort', onAbort, { once: true });
            const cleanup = (): void => {
                clearTimeout(timer);
                options.signal?.removeEventListener('abort', onAbort);
            };
            this.pending.set(id, {
                method: options.method,
                expectedOrigin: options.expectedOrigin,
                validateResult: options.validateResult,
                resolve: value => resolve(value as R),
                reject,
                cleanup
            });
        });
        return { id, result };
    }

    /**
     * Settles a request with the response that arrived. Returns a description
     * of the problem when the response is not acceptable (unknown id, wrong origin).
     */
    settle(id: number, origin: string, params: unknown, error: WireError | undefined): string | undefined {
        const request = this.pending.get(id);
        if (!request) {
            return `response to unknown or finished request ${id}`;
        }
        if (request.expectedOrigin !== origin) {
            return `response to request ${id} came from "${origin}", not from "${request.expectedOrigin}"`;
        }
        this.pending.delete(id);
        request.cleanup();
        if (error) {
            request.reject(new RemoteError(error.code, error.message, request.method, origin));
            return undefined;
        }
        const problem = request.validateResult?.(params);
        if (problem !== undefined) {
            request.reject(new InvalidMessageError(`The answer to "${request.method}" does not match its schema: ${problem}`));
        } else {
            request.resolve(params);
        }
        return undefined;
    }

    /**
     * The server dropped request `id` (invalid, unknown method, rate-limited,
     * peer not connected): fail it now. Returns false when no such request waits.
     */
    failFromServer(id: number, code: string, message: string): boolean {
        const request = this.pending.get(id);
        if (!request) {
            return false;
        }
        this.pending.delete(id);
        request.cleanup();
        request.reject(new RemoteError(code, message, request.method, 'server'));
        return true;
    }

    /** Fails every pending request (the session closed). */
    rejectAll(error: SessionError): void {
        const requests = [...this.pending.values()];
        this.pending.clear();
        for (const request of requests) {
            request.cleanup();
            request.reject(error);
        }
    }

    /** Fails the pending requests addressed to one origin (e.g. that peer left). */
    rejectFor(origin: string, error: () => SessionError): void {
        for (const [id, request] of this.pending) {
            if (request.expectedOrigin === origin) {
                this.pending.delete(id);
                request.cleanup();
                request.reject(error());
            }
        }
    }

    get size(): number {
        return this.pending.size;
    }
}
