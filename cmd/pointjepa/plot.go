package main

import "github.com/nongrid/jepa/internal/cli"

func init() { app.Register(cli.PlotCommand("pointjepa")) }
