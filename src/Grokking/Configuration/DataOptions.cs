using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Grokking.Configuration;

public sealed class DataOptions : ICrossValidated
{
    public DatasetKind Kind { get; set; } = DatasetKind.Modular;

    public ModularOperation Operation { get; set; } = ModularOperation.Multiply;

    [Range(2, 100_000)]
    public int Modulus { get; set; } = 97;

    public SequenceFormat Format { get; set; } = SequenceFormat.ThreeToken;

    /// <summary>Fraction of all pairs used for training, in (0, 1).</summary>
    [Range(double.Epsilon, 1 - 1e-12)]
    public double TrainFraction { get; set; } = 0.4;

    /// <summary>
    /// Seed of the train/validation split shared by every member; -1 = each member splits with its own seed.
    /// Paths between members (MC's points 1 and 1' of two initializations) need one split: a weight vector that
    /// memorized another member's training pairs is not a memorizing solution of this member's task.
    /// </summary>
    [Range(-1, int.MaxValue)]
    public int SplitSeed { get; set; } = -1;

    // Teacher-student regression (OG-1..3).
    [Range(1, 100_000)]
    public int TeacherInputs { get; set; } = 5;

    [Range(1, 100_000)]
    public int TeacherHidden { get; set; } = 100;

    [Range(1, 100_000)]
    public int TeacherOutputs { get; set; } = 5;

    [Range(1, 10_000_000)]
    public int TrainSamples { get; set; } = 100;

    [Range(1, 10_000_000)]
    public int TestSamples { get; set; } = 100;

    /// <summary>
    /// Images (Kind = images): the directory holding train-images-idx3-ubyte, train-labels-idx1-ubyte,
    /// t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each optionally .gz). Unset means
    /// <see cref="DefaultImagesDirectory"/>, where Debian's dataset-fashion-mnist package puts Fashion-MNIST; point it
    /// at MNIST's IDX files to run on MNIST. Unset values stay out of the serialized options, so the run keys of
    /// every other experiment did not change when these keys were added.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ImagesDirectory { get; set; }

    /// <summary>The data set's name as the report prints it (the verdict is about this data set); unset: Fashion-MNIST.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ImagesName { get; set; }

    /// <summary>
    /// Images: the training loss, MSE against one-hot targets (the default, Omnigrok's section 4) or cross-entropy (its
    /// appendix, Fig. 11). The default stays out of the serialized options, so no existing run key changed.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ImageLoss ImagesLoss { get; set; }

    /// <summary>
    /// Images with messiness (Population:Messiness): the templates of the linear representation, the notebook's (the
    /// default, out of the serialized options so no run key changed) or the text's label values.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ImageTemplates ImagesTemplates { get; set; }

    public const string DefaultImagesDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// Reviews (Kind = reviews): a directory holding Kaggle's "IMDB Dataset.csv" (what Omnigrok's code reads) or the
    /// Stanford aclImdb tree. No default: the data are the user's to bring.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReviewsDirectory { get; set; }

    /// <summary>Molecules (Kind = molecules): a directory holding QM9's gdb9.sdf, gdb9.sdf.csv and uncharacterized.txt.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MoleculesDirectory { get; set; }

    /// <summary>Reviews: the number of most frequent training words kept as tokens (0 when unused, out of the run key).</summary>
    [Range(0, 1_000_000)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Vocabulary { get; set; }

    /// <summary>Reviews: tokens per review after padding or cutting (0 when unused, out of the run key).</summary>
    [Range(0, 100_000)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int SequenceLength { get; set; }

    /// <summary>
    /// Keys that say where input data lie on this machine, not what is trained: a command that runs claims takes them
    /// (the data set is the same wherever it is kept).
    /// </summary>
    public static readonly IReadOnlyList<string> LocationKeys = ["Data:ImagesDirectory", "Data:ReviewsDirectory", "Data:MoleculesDirectory"];

    [JsonIgnore]
    public string ImagesDirectoryOrDefault => ImagesDirectory ?? DefaultImagesDirectory;

    /// <summary>The data set a verdict is about, as the report names it: the images' name, IMDb, QM9, or the synthetic task.</summary>
    [JsonIgnore]
    public string DataSetName => Kind switch
    {
        DatasetKind.Images => ImagesNameOrDefault,
        DatasetKind.Reviews => "IMDb reviews",
        DatasetKind.Molecules => "QM9 molecules",
        DatasetKind.TeacherStudent => "teacher-student data",
        DatasetKind.ToyAddition => "toy addition",
        _ => "modular arithmetic",
    };

    [JsonIgnore]
    public string ImagesNameOrDefault => ImagesName ?? (ImagesDirectory is null ? "Fashion-MNIST" : Path.GetFileName(ImagesDirectory.TrimEnd('/')));

    /// <summary>A loss choice for data other than images would be silently ignored: name the key instead.</summary>
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (ImagesLoss != ImageLoss.Mse && Kind != DatasetKind.Images)
        {
            string kind = Kind.ToString().ToLowerInvariant();
            yield return ("ImagesLoss", $"{ImagesLoss.ToString().ToLowerInvariant()} applies to Data:Kind = images only (Kind is {kind})");
        }

        if (ImagesTemplates != ImageTemplates.Notebook && Kind != DatasetKind.Images)
        {
            yield return ("ImagesTemplates", $"{ImagesTemplates.ToString().ToLowerInvariant()} applies to Data:Kind = images only (leave it out)");
        }

        if (Kind == DatasetKind.ToyAddition && TemplateDimension < 1)
        {
            yield return ("TemplateDimension", $"{TemplateDimension}; Data:Kind = toyaddition needs label templates at least 1 wide");
        }

        if (Kind != DatasetKind.ToyAddition && (TemplateDimension != 0 || ToyLabels != ToyLabels.SumModulo))
        {
            yield return (TemplateDimension != 0 ? "TemplateDimension" : "ToyLabels", "applies to Data:Kind = toyaddition only (leave it out)");
        }

        if (Kind == DatasetKind.ToyAddition && TrainSamples > ToyAdditionPairs(Modulus))
        {
            yield return ("TrainSamples", $"{TrainSamples}; toy addition mod {Modulus} has {ToyAdditionPairs(Modulus)} pairs i <= j");
        }
    }

    /// <summary>
    /// Toy addition (Kind = toyaddition): the width of the label templates Y_k (Omnigrok's notebook: 30). Zero, and out of
    /// the serialized options, for the other kinds.
    /// </summary>
    [Range(0, 100_000)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int TemplateDimension { get; set; }

    /// <summary>
    /// Toy addition: the label of a pair, (i + j) mod p (the default, Omnigrok's notebook) or i + j (its text's and Liu et
    /// al.'s). The default stays out of the serialized options.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ToyLabels ToyLabels { get; set; }

    /// <summary>Toy addition's number of templates: p for (i + j) mod p, 2p - 1 for i + j.</summary>
    [JsonIgnore]
    public int ToyClasses => ToyLabels == ToyLabels.Sum ? (2 * Modulus) - 1 : Modulus;

    /// <summary>The unordered digit pairs (i, j), 0 &lt;= i &lt;= j &lt; p, of toy addition: p (p + 1) / 2.</summary>
    public static int ToyAdditionPairs(int modulus) => (int)Math.Min(int.MaxValue, (long)modulus * (modulus + 1) / 2);

    /// <summary>Seed of the teacher network, shared by the whole population so members learn one function.</summary>
    [Range(0, int.MaxValue)]
    public int TeacherSeed { get; set; }
}
