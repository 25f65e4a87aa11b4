// The JIT compiler must load before any Angular component is defined: it compiles the templates in the browser.
import '@angular/compiler';
import { enableProdMode, provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { AppComponent } from './app.component.ts';

if (import.meta.env.PROD) enableProdMode();

// Zoneless: signals tell Angular what to re-render, so zone.js is not needed.
bootstrapApplication(AppComponent, { providers: [provideZonelessChangeDetection()] }).catch((err) => console.error(err));
