using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grokking.Configuration;
using Grokking.Runtime;
using Grokking.Training;
using TorchSharp;

namespace Grokking.Claims;

/// <summary>A finished run of an experiment, trained now or served from the cache.</summary>
public sealed record CachedRun(string Experiment, string Key, string Directory, GrokkingOptions Options, TrainingResult Result, bool FromCache, double TrainSeconds);
