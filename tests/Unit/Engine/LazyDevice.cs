using System.Runtime.InteropServices;
using Grokking.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// A device other than the CPU that libtorch offers without a GPU: its lazy-tensor device (DeviceType 17, "lazy") with
/// the TorchScript backend that libtorch_cpu ships. An operation that mixes a lazy tensor with a CPU tensor of one or more
/// dimensions fails ("Input tensor is not a lazy tensor: CPUFloatType"), as it would on CUDA, so code that creates a
/// tensor on the CPU behind the device's back fails here on a machine without a GPU. Host reads (item, cpu) run: they
/// execute the traced graph on the CPU.
/// <para>
/// Not the meta device the issue first named: libtorch without Python has no meta kernel for relu, index_select,
/// layer_norm or abs (PyTorch registers those from Python, torch/_meta_registrations.py), so no model kind gets past
/// its first layer there, and meta's bmm accepts a CPU operand without complaint. TorchSharp 0.107 has no name for the
/// lazy device (its DeviceType stops at META) and does not start the backend, so the backend's init function is called
/// by its exported (mangled) name.
/// </para>
/// </summary>
internal static class LazyDevice
{
    private const DeviceType Lazy = (DeviceType)17;

    private static readonly Lazy<Device> Started = new(() =>
    {
        TorchRuntime.Initialize(DeviceChoice.Cpu);
        InitTorchScriptBackend();
        return new Device(Lazy);
    });

    /// <summary>The lazy device, its backend started on first use (once per process).</summary>
    public static Device Device => Started.Value;

    /// <summary>torch::lazy::InitTorchScriptBackend(), exported by libtorch_cpu.so.</summary>
    [DllImport("torch_cpu", EntryPoint = "_ZN5torch4lazy22InitTorchScriptBackendEv")]
    private static extern void InitTorchScriptBackend();
}
