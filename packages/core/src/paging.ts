// Lazy paging: the next page is fetched only when the consumer asks for a row past this one.

export interface Page<Row> {
  rows: readonly Row[];
  /** 1-indexed number of this page. */
  page: number;
  totalPages: number;
}

/**
 * Every row of every page, starting at `firstPage`. Stops at the last page, or at an empty page
 * (a gateway that miscounts its pages must not make this loop forever).
 */
export async function* paginate<Row>(
  fetchPage: (page: number) => Promise<Page<Row>>,
  firstPage = 1,
): AsyncGenerator<Row, void, undefined> {
  for (let page = firstPage; ; page++) {
    const result = await fetchPage(page);
    yield* result.rows;
    if (result.rows.length === 0 || page >= result.totalPages) return;
  }
}
