namespace Grokking.Runtime;

public enum CompatibilityAction
{
    /// <summary>The host's libstdc++ provides every version TorchSharp needs: nothing is patched or loaded.</summary>
    None,

    /// <summary>Only versions the shim can stand in for are missing: mark them weak and preload the shim.</summary>
    Shim,

    /// <summary>Versions are missing that the shim cannot provide: TorchSharp cannot load on this host.</summary>
    Unsupported,
}
