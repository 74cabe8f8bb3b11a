using Grokking.Cli;
using Grokking.Configuration;
using Grokking.Claims.Contracts;

try
{
    var cmd = CommandLine.Parse(args);
    if (cmd.Verb is "help" or "--help" or "-h" || cmd.Has("--help"))
    {
        Console.WriteLine(Usage.Text);
        return 0;
    }

    var options = GrokkingConfiguration.Load(new ConfigurationSources(cmd.ConfigFiles, cmd.Overrides));
    return cmd.Verb switch
    {
        "info" => InfoCommand.Run(options),
        "train" => TrainCommand.Run(options, cmd),
        "bench" => BenchCommand.Run(options, cmd),
        "verify" => VerifyCommand.Run(options, cmd),
        "baselines" => BaselinesCommand.Run(options, cmd),
        _ => throw new UsageException($"unknown command '{cmd.Verb}'; commands: {Usage.Commands}"),
    };
}
catch (Grokking.Claims.Contracts.ClaimDefinitionException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
catch (OptionsException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message} (see 'grokking help')");
    return 2;
}
catch (Exception e) when (Environment.GetEnvironmentVariable("GROKKING_DEBUG") is null)
{
    Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
    return 1;
}
