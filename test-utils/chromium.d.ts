export declare function headlessChromium(): Promise<{
  executablePath: string;
  args: string[];
  env: Record<string, string | undefined>;
}>;
