export declare function useMswServer(): import("msw/node").SetupServer;
