// Minimal types for the benchmark peers that ship without any: only what the
// benchmarks call.

declare module 'jumprope' {
    /** Joseph Gentle's skip-list rope; offsets count UTF-16 code units. */
    class Rope {
        constructor(text?: string);
        readonly length: number;
        insert(offset: number, text: string): void;
        del(offset: number, count: number): void;
        substring(offset: number, length: number): string;
        toString(): string;
    }
    export = Rope;
}

declare module 'ot' {
    /** ot.js operation: retains are positive numbers, deletes negative numbers, inserts strings. */
    export class TextOperation {
        ops: (number | string)[];
        baseLength: number;
        targetLength: number;
        retain(n: number): TextOperation;
        insert(text: string): TextOperation;
        delete(n: number | string): TextOperation;
        apply(text: string): string;
        static transform(a: TextOperation, b: TextOperation): [TextOperation, TextOperation];
    }

    /** The guest state machine; subclasses provide sendOperation and applyOperation. */
    export class Client {
        constructor(revision: number);
        revision: number;
        applyClient(op: TextOperation): void;
        applyServer(op: TextOperation): void;
        serverAck(): void;
        sendOperation(revision: number, op: TextOperation): void;
        applyOperation(op: TextOperation): void;
    }

    export class Server {
        constructor(document: string, operations?: TextOperation[]);
        document: string;
        operations: TextOperation[];
        receiveOperation(revision: number, op: TextOperation): TextOperation;
    }
}
