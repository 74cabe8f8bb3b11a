using System.Text;
using Grokking.Runtime;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// Checkpoint files keep each tensor's type: a float64 run's weights and moments and a step counter past 2^24 come
/// back exactly. New files carry a SHA-256 of their content ("GRK3"); files in the two older layouts are read as before
/// (existing caches stay valid). A damaged file (cut short, padded, another format, a flipped byte) is an error naming
/// the file and the damage, never tensors with zeros or altered values in them.
/// </summary>
public sealed class TensorFileTests
{
    // The first tensor of the process must come after the runtime's setup (it applies the libstdc++ shim on hosts
    // that need it); on a fresh build a test that touched torch first would fail to load TorchSharp.
    public TensorFileTests() => TorchRuntime.Initialize(DeviceChoice.Cpu);

    [Fact]
    public void A_float64_tensor_with_values_float32_cannot_hold_round_trips_exactly()
    {
        // 0.1, 1 + 2^-40 and 1e-300 all round (or underflow) in float32.
        double[] values = [0.1, 1 + Math.Pow(2, -40), 1e-300, -Math.PI, double.MaxValue, 1.0 / 3];
        var loaded = RoundTrip(new() { ["w"] = tensor(values, [2, 3], ScalarType.Float64) });

        loaded["w"].dtype.Should().Be(ScalarType.Float64);
        loaded["w"].shape.Should().Equal(2, 3);
        loaded["w"].reshape(-1).data<double>().ToArray().Should().Equal(values);
    }

    [Fact]
    public void An_int64_counter_past_two_to_the_24_round_trips_exactly()
    {
        long[] counts = [(1L << 24) + 1, (1L << 53) + 1, 7];
        var loaded = RoundTrip(new() { ["steps"] = tensor(counts) });

        loaded["steps"].dtype.Should().Be(ScalarType.Int64);
        loaded["steps"].data<long>().ToArray().Should().Equal(counts);
    }

    [Fact]
    public void Mixed_types_keep_each_tensors_type()
    {
        var loaded = RoundTrip(new()
        {
            ["a"] = tensor(new[] { 0.1f, 2f }),
            ["b"] = tensor(new[] { 0.1 }),
            ["c"] = tensor(new[] { 5L }),
        });

        loaded["a"].dtype.Should().Be(ScalarType.Float32);
        loaded["a"].data<float>().ToArray().Should().Equal(0.1f, 2f);
        loaded["b"].data<double>().ToArray().Should().Equal(0.1);
        loaded["c"].data<long>().ToArray().Should().Equal(5L);
    }

    [Fact]
    public void A_new_file_is_the_typed_layout_followed_by_the_sha256_of_everything_before_it()
    {
        string path = Path.Combine(EngineFixtures.TempDirectory(), "f32.bin");
        using var b = tensor(new[] { 1.5f, -2f, 0.25f, 8f }, [2, 2]);
        using var a = tensor(new[] { 3f });
        TensorFile.Save(path, new Dictionary<string, Tensor> { ["b"] = b, ["a"] = a });

        var bytes = File.ReadAllBytes(path);
        var content = TypedFormat(("a", [1], [3f]), ("b", [2, 2], [1.5f, -2f, 0.25f, 8f]));
        bytes.Should().Equal([.. content, .. System.Security.Cryptography.SHA256.HashData(content)]);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(40)]
    [InlineData(-33)]
    public void A_flipped_byte_anywhere_in_a_new_file_is_damage_naming_the_file(int offset)
    {
        string path = TwoTensors("GRK3");
        var bytes = File.ReadAllBytes(path);
        int at = offset >= 0 ? offset : bytes.Length + offset; // -33: the last byte of the last tensor's data
        bytes[at] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        var act = () => TensorFile.Load(path, CPU);

        act.Should().Throw<DamagedFileException>().Which.Message.Should().StartWith($"{path}: ").And.NotContain("\n");
    }

    [Fact]
    public void A_flipped_byte_in_the_data_of_a_new_file_is_a_checksum_mismatch()
    {
        string path = TwoTensors("GRK3");
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length - 32 - 2048] ^= 0x01; // the middle of 'w', a float64 whose value changes and still parses
        File.WriteAllBytes(path, bytes);

        var act = () => TensorFile.Load(path, CPU);

        act.Should().Throw<DamagedFileException>().WithMessage($"{path}: content does not match its checksum");
    }

    [Theory]
    [InlineData("GORK")]
    [InlineData("GRK2")]
    public void A_file_in_an_older_layout_still_loads_with_its_values(string layout)
    {
        string path = TwoTensors(layout);

        var loaded = TensorFile.Load(path, CPU);

        loaded["a"].data<float>().ToArray().Should().Equal(1f, 2f, 3f, 4f);
        loaded["w"].sum().to_type(ScalarType.Float64).item<double>().Should().Be(layout == "GORK" ? 1024 : 512);
    }

    [Fact]
    public void A_file_in_the_original_format_is_read_as_float32()
    {
        string path = Path.Combine(EngineFixtures.TempDirectory(), "old.bin");
        File.WriteAllBytes(path, OriginalFormat(("meta.step", [1], [16_777_216f]), ("w", [3], [0.1f, 0.2f, 0.3f])));

        var loaded = TensorFile.Load(path, CPU);

        loaded["w"].dtype.Should().Be(ScalarType.Float32);
        loaded["w"].data<float>().ToArray().Should().Equal(0.1f, 0.2f, 0.3f);
        loaded["meta.step"].data<float>().ToArray().Should().Equal(16_777_216f);
    }

    /// <summary>A file of each layout whose last tensor, 'w', is 4096 bytes of data: float32 [1024] or float64 [512].</summary>
    public static TheoryData<string, int> Layouts => new()
    {
        { "GORK", 1 }, { "GORK", 8 }, { "GRK2", 1 }, { "GRK2", 8 }, { "GRK3", 1 }, { "GRK3", 8 }, { "GRK3", 40 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_file_cut_short_is_damaged_naming_the_file_and_the_tensor_it_cuts(string layout, int cut)
    {
        string path = TwoTensors(layout);
        using (var file = File.OpenWrite(path))
        {
            file.SetLength(file.Length - cut);
        }

        var act = () => TensorFile.Load(path, CPU);

        act.Should().Throw<DamagedFileException>().WithMessage($"{path}: truncated: tensor 'w' needs 4096 bytes, {4096 - cut} left");
    }

    [Theory]
    [InlineData("GORK")]
    [InlineData("GRK2")]
    [InlineData("GRK3")]
    public void Bytes_after_the_last_tensor_are_damage_not_padding(string layout)
    {
        string path = TwoTensors(layout);
        File.AppendAllText(path, "garbage");

        var act = () => TensorFile.Load(path, CPU);

        act.Should().Throw<DamagedFileException>().WithMessage($"{path}: 7 trailing byte(s) after its 2 tensor(s)");
    }

    [Fact]
    public void A_file_of_another_format_is_damaged_naming_what_it_starts_with()
    {
        string path = TwoTensors("GORK");
        using (var file = File.OpenWrite(path))
        {
            file.Write("JUNK"u8);
        }

        var act = () => TensorFile.Load(path, CPU);

        act.Should().Throw<DamagedFileException>().WithMessage($"{path}: not a tensor file: it starts with 0x4B4E554A, not \"GORK\", \"GRK2\" or \"GRK3\"");
    }

    [Theory]
    [InlineData(0, "truncated: the header needs 4 bytes, 0 left")]
    [InlineData(6, "truncated: the header needs 4 bytes, 2 left")]
    [InlineData(9, "truncated: the name of tensor 0 needs 1 bytes, 0 left")]
    [InlineData(12, "truncated: the rank of tensor 'a' needs 4 bytes, 2 left")]
    public void A_file_cut_inside_a_header_is_damaged_naming_the_field(int length, string problem)
    {
        string path = TwoTensors("GORK");
        using (var file = File.OpenWrite(path))
        {
            file.SetLength(length);
        }

        var act = () => TensorFile.Load(path, CPU);

        act.Should().Throw<DamagedFileException>().WithMessage($"{path}: {problem}");
    }

    [Theory]
    [InlineData(1L << 20, "truncated: tensor 'w' needs 4611686018427387904 bytes, 0 left")]
    [InlineData(1L << 40, "tensor 'w' has shape [1099511627776, 1099511627776], over 2^63 bytes")]
    public void A_shape_larger_than_the_file_is_refused_before_anything_is_allocated(long second, string problem)
    {
        string path = Path.Combine(EngineFixtures.TempDirectory(), "huge.bin");
        using (var w = new BinaryWriter(File.Create(path)))
        {
            w.Write(0x4B524F47u);
            w.Write(1);
            w.Write("w");
            w.Write(2);
            w.Write(1L << 40);
            w.Write(second);
        }

        var act = () => TensorFile.Load(path, CPU);

        act.Should().Throw<DamagedFileException>().WithMessage($"{path}: {problem}");
    }

    /// <summary>
    /// 'a' (float32 [2, 2]) and 'w' (4096 bytes) in the given layout: "GRK3" as TensorFile writes it, the older ones as it
    /// wrote them ('w' float32 in "GORK", float64 in the typed layouts).
    /// </summary>
    private static string TwoTensors(string layout)
    {
        string path = Path.Combine(EngineFixtures.TempDirectory(), $"{layout}.bin");
        using var a = tensor(new[] { 1f, 2f, 3f, 4f }, [2, 2]);
        using var w = layout == "GORK" ? ones(1024) : ones(512, dtype: ScalarType.Float64);
        var tensors = new Dictionary<string, Tensor> { ["a"] = a, ["w"] = w };
        if (layout == "GRK3")
        {
            TensorFile.Save(path, tensors);
        }
        else
        {
            LegacyTensorFile.Save(path, tensors);
        }

        File.ReadAllBytes(path).Take(4).Should().Equal(Encoding.ASCII.GetBytes(layout), "the file is in the layout the test names");
        TensorFile.Load(path, CPU).Should().HaveCount(2, "the undamaged file reads");
        return path;
    }

    private static Dictionary<string, Tensor> RoundTrip(Dictionary<string, Tensor> tensors)
    {
        string path = Path.Combine(EngineFixtures.TempDirectory(), "t.bin");
        TensorFile.Save(path, tensors);
        return TensorFile.Load(path, CPU);
    }

    /// <summary>The float32 layout written from the start: "GORK", count, then per tensor (name order) name, rank, shape, data.</summary>
    private static byte[] OriginalFormat(params (string Name, long[] Shape, float[] Data)[] tensors) =>
        Layout(0x4B524F47u, typeBytes: false, tensors);

    /// <summary>The typed layout of float32 tensors: "GRK3", count, then per tensor name, type 6 (float32), rank, shape, data.</summary>
    private static byte[] TypedFormat(params (string Name, long[] Shape, float[] Data)[] tensors) =>
        Layout(0x334B5247u, typeBytes: true, tensors);

    /// <summary>Both layouts, written by hand as the format describes them (an independent reference for the reader).</summary>
    private static byte[] Layout(uint magic, bool typeBytes, (string Name, long[] Shape, float[] Data)[] tensors)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(magic);
            w.Write(tensors.Length);
            foreach (var (name, shape, data) in tensors)
            {
                w.Write(name);
                if (typeBytes)
                {
                    w.Write((byte)ScalarType.Float32);
                }

                w.Write(shape.Length);
                foreach (long d in shape)
                {
                    w.Write(d);
                }

                foreach (float x in data)
                {
                    w.Write(x);
                }
            }
        }

        return stream.ToArray();
    }
}
