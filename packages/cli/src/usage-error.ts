/** The command was called wrongly (exit code 2). */
export class UsageError extends Error {
  override name = "UsageError";
}

const fileErrors: Record<string, string> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EPERM: "not permitted",
  EISDIR: "it is a folder",
  ENOTDIR: "a part of the path is not a folder",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
  EEXIST: "it already exists",
};

/** `cannot write PATH: no such file or folder`: a file error in plain words, as a usage error (exit 2). */
export function fileError(verb: "read" | "write", path: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException)?.code;
  const why = (code && fileErrors[code]) ?? code ?? (error as Error)?.message ?? String(error);
  return new UsageError(`cannot ${verb} ${path}: ${why}`);
}
