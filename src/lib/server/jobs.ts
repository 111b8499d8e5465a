// Imports every module that defines a job kind, so that workers know all of them.
import './platform/mail-job';
import './platform/retention';
import './accounts/jobs';
import './receipts/jobs';
import './payments/jobs';

/** Makes sure every job kind is registered (the imports above do the work). */
export function registerJobs(): void {}
