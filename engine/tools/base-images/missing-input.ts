/** The host cannot provide what an image needs; `packages` are the apt packages to install. */
export class BaseImageInputMissingError extends Error {
  readonly packages: string[];
  constructor(message: string, packages: string[]) {
    super(message);
    this.name = 'BaseImageInputMissingError';
    this.packages = packages;
  }
}
