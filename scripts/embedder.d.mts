export const LOCAL_EMBEDDING_MODEL: string;
export const LOCAL_EMBEDDING_DIMENSIONS: number;
export function bagOfWords(text: string): number[];
export function loadModel(): Promise<unknown>;
export function embedTexts(texts: string[]): Promise<number[][]>;
export function startEmbedderServer(options?: {
  port?: number;
  host?: string;
  onEmbedded?: (count: number) => void;
  embed?: (texts: string[]) => Promise<number[][]>;
}): Promise<{ url: string; close(): Promise<void> }>;
