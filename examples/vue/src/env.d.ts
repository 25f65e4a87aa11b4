/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The boxoffice server, e.g. http://localhost:3000 (default). */
  readonly VITE_BOXOFFICE_URL?: string;
  /** The socket.io server when it is not at VITE_BOXOFFICE_URL. */
  readonly VITE_BOXOFFICE_SOCKET_URL?: string;
}
