/** Why a policy bundle was refused; `file` names the bundle member at fault when there is one. */
export type BundleErrorCode =
  | 'unsigned'
  | 'bad_signature'
  | 'untrusted_key'
  | 'modified_file'
  | 'extra_file'
  | 'missing_file'
  | 'unsafe_path'
  | 'too_large'
  | 'bad_archive'
  | 'bad_manifest'
  | 'bad_data'
  | 'rego_error'
  | 'conflict'
  | 'not_found';

/** A refused bundle: the message says what is wrong and where, so the operator can fix it. */
export class BundleError extends Error {
  readonly code: BundleErrorCode;
  readonly file: string | undefined;
  constructor(code: BundleErrorCode, message: string, file?: string) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'BundleError';
    this.code = code;
    this.file = file;
  }
}
