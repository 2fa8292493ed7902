// Athena engine v3 (Trino) SQL on DuckDB: filled in by issue 9's work.
export {};
