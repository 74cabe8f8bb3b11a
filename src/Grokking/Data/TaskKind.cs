namespace Grokking.Data;

public enum TaskKind
{
    /// <summary>Labels are class indices; cross-entropy loss; accuracy = argmax matches.</summary>
    Classification,

    /// <summary>Labels are vectors; mean squared error; a sample is "correct" when its squared error is below a threshold.</summary>
    Regression,

    /// <summary>Labels are class indices; mean squared error against one-hot targets (mean over classes); accuracy = argmax matches.</summary>
    OneHotRegression,

    /// <summary>
    /// Labels are vectors, the templates of their classes (toy addition's Y_k); mean squared error against the template;
    /// the prediction is the nearest template (<see cref="PopulationData.Templates"/>), correct when it is the label's.
    /// </summary>
    NearestTemplate,
}
