// Loads the native addons that worker threads use (roaring) in the thread that starts them, and so
// keeps them loaded for the life of the process. Node unloads an addon (dlclose) when the last thread
// that loaded it exits; that thread's final garbage collection (Worker::Run -> ~IsolateData ->
// GlobalHandles::InvokeFirstPassWeakCallbacks, seen under gdb) then calls the addon's weak callbacks,
// roaring's bitmap finalizers, at addresses no longer mapped, and the whole process dies with SIGSEGV
// (exit 139). Measured with two sweep workers from a bundle: 9 crashes in 18 runs without this
// import, none in 22 with it. A handle held by the main thread keeps the library mapped. Every module
// that starts worker threads running engine code imports this file.

import 'roaring';
