#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Shebang and encoding cookie stay on lines 1 and 2.
import time

print("café", time.time() > 0)
