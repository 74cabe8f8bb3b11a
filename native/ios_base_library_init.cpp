// Compatibility shim for libstdc++ older than GCC 13 (no GLIBCXX_3.4.32).
//
// libLibTorchSharp.so (TorchSharp 0.107) is built with GCC 13, whose <iostream> emits a call to
// std::ios_base_library_init() to initialise the standard streams. That is the only symbol it needs
// from GLIBCXX_3.4.32. Older libstdc++ initialise the streams themselves when they load, so this
// definition only has to construct one ios_base::Init object, which is reference counted and harmless.
#include <ios>

namespace std
{
    void ios_base_library_init()
    {
        static ios_base::Init init;
    }
}
