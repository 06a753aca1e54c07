export interface TestPostgres {
  url: string;
  port: number;
  database(name: string): Promise<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}
export declare function startPostgres(): Promise<TestPostgres>;
