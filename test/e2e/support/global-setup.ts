import { buildWebIfChanged } from '../../../scripts/build-web-if-changed.js';

/** The suite tests what `npm start` serves, so the app is built first (a no-op when current). */
export default function setup(): void {
  buildWebIfChanged();
}
