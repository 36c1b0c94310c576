/** The read contract between data and UI: something that pushes fresh values until unsubscribed. */
export interface Observable<T> {
  subscribe(next: (value: T) => void, error?: (e: unknown) => void): { unsubscribe(): void };
}
