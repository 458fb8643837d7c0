/** Whether a command is installed (on PATH): lib/on-path.js, typed for the TypeScript that imports it. */
export declare const onPath: (command: string) => boolean;
