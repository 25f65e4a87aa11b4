// `npm start` runs this first: build the web app only when web/dist is missing (npm install normally builds it).
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const index = new URL('./dist/index.html', import.meta.url);
if (!existsSync(index)) {
  execSync('npm run build:web', { stdio: 'inherit' });
}
