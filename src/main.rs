//! The `pulso` binary: parse arguments, set up logging, run, and turn errors into one line.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = pulso::cli::Cli::parse();
    pulso::telemetry::init_logs(cli.log_format);
    match pulso::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // Library errors already spell out their cause, which `{error:#}` would repeat.
            let mut message = error.to_string();
            for cause in error.chain().skip(1).map(ToString::to_string) {
                if !message.contains(&cause) {
                    message = format!("{message}: {cause}");
                }
            }
            eprintln!("error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
