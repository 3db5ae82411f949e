declare module "vitest" {
  export interface ProvidedContext {
    edgememUrl: string;
    workerLog: string;
  }
}

export {};
