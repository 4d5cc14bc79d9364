export { type ListenOptions, listen, type RunningServer, type ServeOptions, serve } from './server.js'
