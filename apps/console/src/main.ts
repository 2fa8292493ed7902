// The console's browser app: built by issue 10's work.
export {};
