namespace Grokking.Runtime;

public enum DeviceChoice
{
    Auto,
    Cpu,
    Cuda,
}
