import { paginate } from "@genledger/core/internal";
import { describe, expect, it } from "vitest";

describe("paginate", () => {
  const pages = (sizes: number[]) => {
    const fetched: number[] = [];
    const fetchPage = async (page: number) => {
      fetched.push(page);
      const rows = Array.from({ length: sizes[page - 1] ?? 0 }, (_, i) => `${page}.${i}`);
      return { rows, page, totalPages: sizes.length };
    };
    return { fetched, fetchPage };
  };

  it("yields every row of every page in order", async () => {
    const { fetchPage, fetched } = pages([2, 2, 1]);
    const rows: string[] = [];
    for await (const row of paginate(fetchPage)) rows.push(row);
    expect(rows).toEqual(["1.0", "1.1", "2.0", "2.1", "3.0"]);
    expect(fetched).toEqual([1, 2, 3]);
  });

  it("fetches a page only when a row of it is asked for", async () => {
    const { fetchPage, fetched } = pages([2, 2, 2]);
    const it = paginate(fetchPage);
    expect(fetched).toEqual([]);
    await it.next();
    await it.next();
    expect(fetched).toEqual([1]);
    await it.next();
    expect(fetched).toEqual([1, 2]);
    await it.return();
    expect(fetched).toEqual([1, 2]);
  });

  it("stops at an empty page even if the total says more", async () => {
    const fetched: number[] = [];
    const rows: number[] = [];
    for await (const row of paginate(async (page) => {
      fetched.push(page);
      return { rows: page === 1 ? [1] : [], page, totalPages: 99 };
    }))
      rows.push(row);
    expect(rows).toEqual([1]);
    expect(fetched).toEqual([1, 2]);
  });

  it("starts from a given page", async () => {
    const { fetchPage, fetched } = pages([1, 1, 1]);
    const rows: string[] = [];
    for await (const row of paginate(fetchPage, 2)) rows.push(row);
    expect(rows).toEqual(["2.0", "3.0"]);
    expect(fetched).toEqual([2, 3]);
  });
});
